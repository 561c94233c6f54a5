"""Views of formal identification: referral (the referring organisation), platform, judicial,
and the case file both deciders read (file)."""
