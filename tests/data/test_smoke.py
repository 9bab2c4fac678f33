async def test_healthz(http):
    response = await http.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


async def test_create_and_read_organization(gql):
    data = await gql('mutation { organizationCreate(input: {name: "Acme"}) { organization { id name } } }')
    org = data["organizationCreate"]["organization"]
    assert org["name"] == "Acme" and org["id"].startswith("org_")
    data = await gql("query($id: ID!) { organization(id: $id) { name } }", {"id": org["id"]})
    assert data["organization"]["name"] == "Acme"
