"""Every registered engine, fed generated and mutated input through the public API, never fails.

An engine that raises is caught by the runner and becomes a note ("<engine>
failed: ..."); here such a note, or one for a blown time budget, is a test
failure, so engine bugs on odd input are found here rather than by users. A
clear note about the input itself ("invalid YAML") is the right answer.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

import bastion
from bastion.core.config import Config

NAMES = ["app.py", "server.js", "view.tsx", "lib.ts", "Dockerfile", "nginx.conf", "docker-compose.yml",
         ".github/workflows/ci.yml", "settings.py", ".env", "config.yaml", "notes.txt", "deploy.k8s.yaml"]
SEEDS = [
    "import pickle\npickle.loads(request.cookies.get('s'))\n",
    "const p = require('path');\napp.get('/f/:n', (req, res) => res.sendFile(p.join(__dirname, req.params.n)));\n",
    "FROM python:latest\nRUN curl https://x | sh\n",
    "server { listen 443 ssl; ssl_protocols TLSv1; location /x { alias /y/; } }\n",
    "services:\n  db:\n    image: postgres\n    privileged: true\n    ports: ['5432:5432']\n",
    "on: pull_request_target\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.issue.title }}\n",
    "password = 'hunter2hunter2'\ntoken = \"ghp_\" + 'x' * 36\n",
    "a: &a [*a, *a]\nb: &b [*a, *a, *a]\n",
]


def mutate(seed: str, cut: int, insert: str) -> str:
    cut = cut % (len(seed) + 1)
    return seed[:cut] + insert + seed[cut:]


@given(
    name=st.sampled_from(NAMES),
    text=st.one_of(
        st.text(max_size=400),
        st.builds(mutate, st.sampled_from(SEEDS), st.integers(0, 400), st.text(max_size=20)),
        st.builds(lambda d: "(" * d + ")" * d, st.integers(0, 3000)),
        st.builds(lambda d: "[" * d, st.integers(0, 3000)),
    ),
)
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_engines_never_fail_on_odd_input(name, text):
    report = bastion.scan(stdin_text=text, stdin_filename=name, config=Config(file_timeout=20), use_cache=False)
    failures = [n.message for n in report.notes
                if n.kind == "failure" or (n.kind == "error" and "budget" in n.message)]
    assert not failures, failures
