from tests.accounts.helpers import is_vietnamese


def assert_error(response, status: int, code: str, fields=None) -> dict:
    """The one error shape of docs/api.md: ``{"error": {"code", "message", "fields"?}}``.

    ``fields`` (an iterable of names) is required for validation errors and absent otherwise;
    every message is Vietnamese, and nothing is ever HTML.
    """
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert list(body) == ["error"], body
    error = body["error"]
    assert error["code"] == code, error
    assert is_vietnamese(error["message"]), error["message"]
    if fields is None:
        assert set(error) == {"code", "message"}, error
    else:
        assert set(error) == {"code", "message", "fields"}, error
        assert set(error["fields"]) == set(fields), error["fields"]
        for name, messages in error["fields"].items():
            assert isinstance(messages, list) and messages, (name, messages)
            assert all(isinstance(m, str) and is_vietnamese(m) for m in messages), (name, messages)
    return error
