"""Post one comment on a pull/merge request through the forge's REST API (stdlib only).

* GitHub:  POST {GITHUB_API_URL}/repos/{owner/repo}/issues/{n}/comments, ``Authorization: Bearer``;
* Gitea/Forgejo Actions set ``GITHUB_API_URL`` to ``{server}/api/v1`` and serve the same path,
  with ``Authorization: token``;
* GitLab:  POST {CI_API_V4_URL}/projects/{id}/merge_requests/{iid}/notes, ``PRIVATE-TOKEN``.

The token comes from the job's environment only (``SSJ_INTAKE_TOKEN``, else the forge's job token
``GITHUB_TOKEN``); it is sent only over HTTPS, or plain HTTP to this machine (the tests' fake API).
"""

from __future__ import annotations

import ipaddress
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass

from generator.cli.ci_steps.forge import GITEA, GITHUB, GITLAB

MAX_BODY = 60_000  # GitHub refuses comments over 65,536 characters; the others allow more


@dataclass(frozen=True)
class CommentRequest:
    url: str
    headers: dict[str, str]


def comment_request(forge: str, number: str, env: Mapping[str, str] | None = None) -> CommentRequest | None:
    """Where and how to post on pull request ``number``; None when the environment lacks what it needs."""
    env = os.environ if env is None else env
    token = env.get("SSJ_INTAKE_TOKEN") or env.get("GITHUB_TOKEN", "")
    if forge in (GITHUB, GITEA):
        api, repo = env.get("GITHUB_API_URL", ""), env.get("GITHUB_REPOSITORY", "")
        if forge == GITHUB and not api:
            api = "https://api.github.com"
        if not (api and repo and token and number):
            return None
        auth = f"Bearer {token}" if forge == GITHUB else f"token {token}"
        headers = {"Authorization": auth, "Accept": "application/json"}
        if forge == GITHUB:
            headers |= {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
        url = f"{api.rstrip('/')}/repos/{_path(repo)}/issues/{_path(number)}/comments"
        return CommentRequest(url, headers)
    if forge == GITLAB:
        api, project = env.get("CI_API_V4_URL", ""), env.get("CI_PROJECT_ID", "")
        iid, token = number or env.get("CI_MERGE_REQUEST_IID", ""), env.get("SSJ_INTAKE_TOKEN", "")
        if not (api and project and iid and token):
            return None
        url = f"{api.rstrip('/')}/projects/{_path(project)}/merge_requests/{_path(iid)}/notes"
        return CommentRequest(url, {"PRIVATE-TOKEN": token, "Accept": "application/json"})
    return None


def _path(value: str) -> str:
    return urllib.parse.quote(str(value), safe="/")


def safe_url(url: str) -> bool:
    """HTTPS anywhere, or HTTP to this machine only: a token never crosses a network in clear text."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https":
        return bool(parts.hostname)
    if parts.scheme != "http" or not parts.hostname:
        return False
    if parts.hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect would carry the token to another address: treat it as a failure instead."""

    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)
_LOCAL_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)


def post_comment(req: CommentRequest, body: str, timeout: float = 30) -> str:
    """Post ``body``; returns "" on success, else a Chinese sentence saying what went wrong."""
    if not safe_url(req.url):
        return f"评论接口地址“{req.url[:80]}”不是 HTTPS，未发送（令牌不走明文）。"
    if len(body) > MAX_BODY:
        body = body[: MAX_BODY - 40] + "\n\n……（评论过长，其余内容见 CI 日志）\n"
    data = json.dumps({"body": body}, ensure_ascii=False).encode("utf-8")
    headers = {**req.headers, "Content-Type": "application/json; charset=utf-8", "User-Agent": "ssj-intake"}
    request = urllib.request.Request(req.url, data=data, headers=headers, method="POST")
    try:
        local = urllib.parse.urlsplit(req.url).scheme == "http"  # safe_url: loopback only
        with (_LOCAL_OPENER if local else _OPENER).open(request, timeout=timeout) as resp:
            resp.read(65536)
            return ""
    except urllib.error.HTTPError as exc:
        return f"发表评论失败：HTTP {exc.code}（请检查令牌的评论权限）。"
    except (urllib.error.URLError, OSError) as exc:
        return f"发表评论失败：{str(getattr(exc, 'reason', exc))[:120]}。"
