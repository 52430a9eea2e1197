"""Which forge runs this job, and what it tells the job, read from each forge's own variables.

GitHub Actions sets ``GITHUB_ACTIONS=true``. Gitea and Forgejo Actions set the same ``GITHUB_*``
variables for compatibility *and* ``GITEA_ACTIONS=true`` / ``FORGEJO_ACTIONS=true``, so they are
told apart by those. GitLab CI sets ``GITLAB_CI=true`` and its own ``CI_*`` names.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

GITHUB, GITEA, GITLAB, LOCAL = "github", "gitea", "gitlab", "local"


@dataclass(frozen=True)
class Forge:
    name: str
    base_ref: str  # the branch a pull/merge request targets ("" outside one)
    sha: str  # the commit this job runs for
    default_branch: str
    step_summary: str  # a file the forge renders as the job summary ("" when it has none)

    @property
    def base_rev(self) -> str:
        """The revision to compare a pull request with, as fetched by the checkout."""
        return f"origin/{self.base_ref or self.default_branch}"


def detect(env: Mapping[str, str] | None = None) -> Forge:
    """The forge of this job from its environment.

    >>> detect({"GITHUB_ACTIONS": "true", "GITEA_ACTIONS": "true", "GITHUB_BASE_REF": "main"}).name
    'gitea'
    >>> detect({"GITLAB_CI": "true", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main"}).base_rev
    'origin/main'
    >>> detect({}).name
    'local'
    """
    env = os.environ if env is None else env
    if env.get("GITLAB_CI") == "true":
        return Forge(
            GITLAB,
            env.get("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", ""),
            env.get("CI_COMMIT_SHA", ""),
            env.get("CI_DEFAULT_BRANCH", "main"),
            "",
        )
    if env.get("GITHUB_ACTIONS") == "true":
        name = (
            GITEA if (env.get("GITEA_ACTIONS") == "true" or env.get("FORGEJO_ACTIONS") == "true") else GITHUB
        )
        return Forge(
            name,
            env.get("GITHUB_BASE_REF", ""),
            env.get("GITHUB_SHA", ""),
            env.get("SSJ_DEFAULT_BRANCH", "main"),
            env.get("GITHUB_STEP_SUMMARY", "") if name == GITHUB else "",
        )
    return Forge(LOCAL, "", "", env.get("SSJ_DEFAULT_BRANCH", "main"), "")
