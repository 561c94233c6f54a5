def test_cast_and_dashboard(cast):
    client = cast.client_for(cast.amina)
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert "Amina" in response.content.decode()
