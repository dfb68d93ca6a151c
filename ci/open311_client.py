"""Drives jiesu's Open311 GeoReport v2 endpoint with a third-party client library.

Usage: open311_client.py ROOT API_KEY, where ROOT is e.g. http://127.0.0.1:8080/open311/v2.

The `georeport` package (PyPI) does every read, in JSON and in XML (parsed by its
xmltodict). It has no call for posting, so the posts and the token look-up use `requests`
with the form fields the specification names. Ends with `N passed, N failed`.
"""

import sys

import requests
from georeport import GeoReport

ROOT, API_KEY = sys.argv[1], sys.argv[2]
as_json = GeoReport(ROOT, api_key=API_KEY, output_format="json")
as_xml = GeoReport(ROOT, api_key=API_KEY, output_format="xml")
results = []


def check(name, fn):
    try:
        fn()
        results.append(True)
        print(f"ok    {name}")
    except Exception as e:  # every failure is reported, the run goes on
        results.append(False)
        print(f"FAIL  {name}: {type(e).__name__}: {e}")


def post(**fields):
    r = requests.post(f"{ROOT}/requests.json", data={"api_key": API_KEY, **fields}, timeout=30)
    return r.status_code, r.json()


state = {}


def services():
    listed = as_json.get_service_list()
    assert len(listed) > 10, listed
    first = listed[0]
    assert first["metadata"] is True and first["type"] == "realtime", first
    state["code"] = first["service_code"]
    state["other_code"] = listed[-1]["service_code"]
    in_xml = as_xml.get_service_list()
    assert [s["service_code"] for s in in_xml] == [s["service_code"] for s in listed]
    assert in_xml[0]["metadata"] == "true", in_xml[0]


def definition():
    d = as_json.get_service_definition(state["code"])
    assert d["service_code"] == state["code"], d
    assert [a["code"] for a in d["attributes"]] == ["type", "confidential"], d
    x = as_xml.get_service_definition(state["code"])
    attrs = x["attributes"]["attribute"]
    assert [a["code"] for a in attrs] == ["type", "confidential"], x


def unknown_service_is_404():
    try:
        as_json.get_service_definition("nothing")
    except requests.HTTPError as e:
        assert e.response.status_code == 404
        errors = e.response.json()
        assert errors[0]["code"] == 404 and errors[0]["description"], errors
        return
    raise AssertionError("no error for an unknown service")


def post_a_request():
    status, body = post(
        service_code=state["code"],
        description="青禾小区东门路灯不亮",
        address_string="示范区青禾小区东门",
        lat="30.25",
        long="120.5",
        first_name="小明",
        last_name="王",
        phone="13800001111",
        **{"attribute[type]": "求助"},
    )
    assert status == 200, body
    state["id"] = body[0]["service_request_id"]
    assert "查询码" in body[0]["service_notice"], body


def post_without_key_is_403():
    r = requests.post(f"{ROOT}/requests.json", data={"service_code": state["code"], "description": "x"}, timeout=30)
    assert r.status_code == 403 and r.json()[0]["code"] == 403, r.text


def post_bad_field_is_400():
    status, body = post(service_code=state["code"], description="路灯不亮", lat="north", long="1")
    assert status == 400 and body[0]["code"] == 400, body


def read_one():
    one = as_json.get_service_request(state["id"])
    assert one["service_request_id"] == state["id"] and one["status"] == "open", one
    assert one["service_code"] == state["code"] and one["description"] == "青禾小区东门路灯不亮", one
    assert "phone" not in one and "first_name" not in one, one
    x = as_xml.get_service_request(state["id"])
    assert x["service_request_id"] == state["id"] and x["status"] == "open", x


def read_with_filters():
    found = as_json.get_service_requests(service_code=state["code"], status="open")
    assert state["id"] in [r["service_request_id"] for r in found], found
    closed = as_json.get_service_requests(service_code=state["code"], status="closed")
    assert state["id"] not in [r["service_request_id"] for r in closed], closed
    by_id = as_json.get_service_requests(service_request_id=state["id"])
    assert [r["service_request_id"] for r in by_id] == [state["id"]], by_id
    old = as_json.get_service_requests(start_date="2020-01-01T00:00:00Z", end_date="2020-02-01T00:00:00Z")
    assert old == [], old
    recent = as_xml.get_service_requests(status="open,closed")
    recent = recent if isinstance(recent, list) else [recent]
    assert state["id"] in [r["service_request_id"] for r in recent]


def bad_filter_is_400():
    try:
        as_json.get_service_requests(status="pending")
    except requests.HTTPError as e:
        assert e.response.status_code == 400 and e.response.json()[0]["code"] == 400
        return
    raise AssertionError("no error for an unknown status")


def confidential_citizen_is_never_shown():
    status, body = post(
        service_code=state["other_code"],
        description="举报示范区青禾路八号噪声扰民",
        address_string="示范区青禾路八号",
        first_name="小红",
        last_name="李",
        phone="13900002222",
        **{"attribute[confidential]": "true"},
    )
    assert status == 200, body
    secret = body[0]["service_request_id"]
    one = as_json.get_service_request(secret)
    assert one["description"] is None and one["address"] is None and one["lat"] is None, one
    for fmt in ("json", "xml"):
        text = requests.get(f"{ROOT}/requests.{fmt}", params={"service_request_id": secret}, timeout=30).text
        for private in ("13900002222", "李小红", "噪声", "青禾路八号"):
            assert private not in text, (fmt, private)


def token_names_the_request():
    r = requests.get(f"{ROOT}/tokens/{state['id']}.json", timeout=30)
    assert r.status_code == 200 and r.json()[0]["service_request_id"] == state["id"], r.text


def discovery():
    r = requests.get(f"{ROOT}/discovery.json", timeout=30)
    assert r.json()["endpoints"][0]["url"].endswith("/open311/v2"), r.text


for name, fn in [
    ("services (json, xml)", services),
    ("service definition (json, xml)", definition),
    ("unknown service: 404 error list", unknown_service_is_404),
    ("post a request with api_key", post_a_request),
    ("post without api_key: 403", post_without_key_is_403),
    ("post with a bad field: 400", post_bad_field_is_400),
    ("read one request (json, xml)", read_one),
    ("read requests with filters", read_with_filters),
    ("bad filter: 400", bad_filter_is_400),
    ("confidential citizen never shown", confidential_citizen_is_never_shown),
    ("token names the request", token_names_the_request),
    ("discovery", discovery),
]:
    check(name, fn)

passed, failed = results.count(True), results.count(False)
print(f"open311: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
