"""The preliminary assessment of a case: indicator set, answers, advice, conclusion."""
