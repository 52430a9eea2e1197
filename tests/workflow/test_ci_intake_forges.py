"""``ci intake --post`` on each forge: the one comment goes through that forge's REST API.

No network: a local fake of each API (stdlib http.server in a thread) records what it receives, and
the test checks the URL, method, authentication header and JSON body. The pull request's number,
branch and fork status come from each forge's own job environment, as in CI.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from generator.cli.ci_steps import forge_api
from tests.support.tree import BASE
from tests.workflow.gitutil import git
from tests.workflow.intake_util import OBJECTS_HEADER, intake, make_intake_repo, upload, xlsx

ROW = ["91321323MAL3T13R4L", "统一社会信用代码", "泗阳县新开一号超市", "企业", "众兴街道", "示例路9号"]
ROW += ["食品销售", "存续", "B"]
FORGE_VARS = (
    "GITHUB_ACTIONS",
    "GITEA_ACTIONS",
    "FORGEJO_ACTIONS",
    "GITLAB_CI",
    "GITHUB_TOKEN",
    "SSJ_INTAKE_TOKEN",
    "GITHUB_EVENT_PATH",
    "GITHUB_API_URL",
)


class FakeApi:
    """A forge API on 127.0.0.1 that answers every POST with ``status`` and records it."""

    def __init__(self, status: int = 201):
        self.requests: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length", "0"))
                outer.requests.append(
                    {
                        "method": "POST",
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": self.rfile.read(length),
                    }
                )
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"id": 1}')

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def work(tmp_path, monkeypatch):
    for name in FORGE_VARS:
        monkeypatch.delenv(name, raising=False)
    repo, remote = make_intake_repo(tmp_path / "git", BASE)
    upload(repo, {"inbox/market/对象名录.xlsx": xlsx([[*OBJECTS_HEADER, "信用风险分类"], ROW])})
    return repo, remote


def event(tmp_path, number: int, head_repo: str, base_repo: str = "county/records") -> str:
    path = tmp_path / "event.json"
    payload = {
        "pull_request": {
            "number": number,
            "head": {"ref": "feature", "repo": {"full_name": head_repo}},
            "base": {"ref": "main", "repo": {"full_name": base_repo}},
        }
    }
    path.write_text(json.dumps(payload), encoding="utf-8")
    return str(path)


def actions_env(monkeypatch, tmp_path, api: str, gitea: bool, head_repo: str = "county/records") -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    if gitea:
        monkeypatch.setenv("GITEA_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_API_URL", api + ("/api/v1" if gitea else ""))
    monkeypatch.setenv("GITHUB_REPOSITORY", "county/records")
    monkeypatch.setenv("GITHUB_TOKEN", "job-token-123")
    monkeypatch.setenv("GITHUB_BASE_REF", "main")
    monkeypatch.setenv("GITHUB_EVENT_PATH", event(tmp_path, 7, head_repo))


def the_request(api: FakeApi, comment) -> dict:
    (req,) = api.requests
    assert req["method"] == "POST"
    assert req["headers"]["content-type"].startswith("application/json")
    assert json.loads(req["body"]) == {"body": comment.read_text(encoding="utf-8")}
    return req


@pytest.mark.parametrize("gitea", [False, True], ids=["github", "gitea"])
def test_github_and_gitea_comment_through_the_issues_api(work, tmp_path, monkeypatch, gitea):
    repo, remote = work
    comment = tmp_path / "comment.md"
    with FakeApi() as api:
        actions_env(monkeypatch, tmp_path, api.url, gitea)
        assert intake(repo, "--push", "--post", comment=comment) == 0
    req = the_request(api, comment)
    prefix = "/api/v1" if gitea else ""
    assert req["path"] == f"{prefix}/repos/county/records/issues/7/comments"
    assert req["headers"]["authorization"] == ("token job-token-123" if gitea else "Bearer job-token-123")
    if not gitea:
        assert req["headers"]["x-github-api-version"] == "2022-11-28"
    assert "已转换为记录" in json.loads(req["body"])["body"]
    # the branch named by the event got the conversion
    assert git(remote, "rev-parse", "refs/heads/feature").strip() == git(repo, "rev-parse", "HEAD").strip()


def test_gitlab_comments_through_the_merge_request_notes_api(work, tmp_path, monkeypatch):
    repo, remote = work
    comment = tmp_path / "comment.md"
    with FakeApi() as api:
        for name, value in {
            "GITLAB_CI": "true",
            "CI_API_V4_URL": api.url + "/api/v4",
            "CI_PROJECT_ID": "42",
            "CI_MERGE_REQUEST_IID": "7",
            "CI_MERGE_REQUEST_PROJECT_ID": "42",
            "CI_MERGE_REQUEST_SOURCE_PROJECT_ID": "42",
            "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": "feature",
            "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main",
            "SSJ_INTAKE_TOKEN": "project-token-456",
        }.items():
            monkeypatch.setenv(name, value)
        assert intake(repo, "--push", "--post", comment=comment) == 0
    req = the_request(api, comment)
    assert req["path"] == "/api/v4/projects/42/merge_requests/7/notes"
    assert req["headers"]["private-token"] == "project-token-456"
    assert "authorization" not in req["headers"]
    assert git(remote, "rev-parse", "refs/heads/feature").strip() == git(repo, "rev-parse", "HEAD").strip()


def test_a_fork_pull_request_is_detected_from_the_event_and_gets_a_patch(work, tmp_path, monkeypatch):
    repo, remote = work
    before = git(remote, "rev-parse", "refs/heads/feature").strip()
    comment = tmp_path / "comment.md"
    with FakeApi() as api:
        actions_env(monkeypatch, tmp_path, api.url, gitea=False, head_repo="stranger/records")
        assert intake(repo, "--push", "--post", comment=comment) == 0
    body = json.loads(the_request(api, comment)["body"])["body"]
    assert "```diff" in body and "+91321323MAL3T13R4L," in body
    assert git(remote, "rev-parse", "refs/heads/feature").strip() == before, "no write to a fork's branch"


def test_a_refused_comment_fails_the_job_with_a_chinese_reason(work, tmp_path, monkeypatch, capsys):
    repo, _ = work
    with FakeApi(status=403) as api:
        actions_env(monkeypatch, tmp_path, api.url, gitea=False)
        assert intake(repo, "--post") == 1
    assert len(api.requests) == 1
    assert "发表评论失败：HTTP 403" in capsys.readouterr().out


def test_the_token_never_travels_in_clear_text_to_another_machine():
    req = forge_api.CommentRequest("http://api.example.invalid/x", {"Authorization": "Bearer t"})
    assert "不是 HTTPS" in forge_api.post_comment(req, "正文")
    assert forge_api.safe_url("https://gitea.county.invalid/api/v1/x")
    assert forge_api.safe_url("http://127.0.0.1:3000/x") and forge_api.safe_url("http://localhost/x")
    assert not forge_api.safe_url("http://10.0.0.5/x") and not forge_api.safe_url("file:///etc/passwd")


def test_no_comment_request_without_a_token():
    env = {"GITHUB_API_URL": "https://api.github.com", "GITHUB_REPOSITORY": "a/b"}
    assert forge_api.comment_request("github", "7", env) is None
    assert forge_api.comment_request("gitlab", "7", {"CI_API_V4_URL": "https://x/api/v4"}) is None
