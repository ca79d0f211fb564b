"""Rules about container containment, shared by the Dockerfile, compose and Kubernetes checks.

One weakness, one id: running as root is the same mistake whether a
Dockerfile forgets ``USER`` or a pod sets ``runAsUser: 0``.
"""

from __future__ import annotations

from bastion.config_audit.base import A01, A04, A05, A07, rule

CONTAINER_LANGS = ("dockerfile", "yaml")
_CIS = "https://www.cisecurity.org/benchmark/docker"
_K8S_PSS = "https://kubernetes.io/docs/concepts/security/pod-security-standards/"
_COMPOSE = "https://docs.docker.com/reference/compose-file/services/"

RUNS_AS_ROOT = rule(
    "container-runs-as-root", "Container runs as root", "medium", "high", (250, 269), A05, CONTAINER_LANGS,
    what="A Dockerfile whose final stage never switches to a non-root `USER` (or switches back to root), a "
         "compose service with `user: root`, or a pod/container with `runAsUser: 0` or `runAsNonRoot: false`.",
    why="A process that is root in the container is one kernel or runtime bug away from root on the host, and "
        "can rewrite everything inside its own image.",
    vulnerable="FROM python:3.12-slim\nCOPY . /app\nCMD [\"python\", \"/app/main.py\"]",
    fixed="FROM python:3.12-slim\nRUN useradd --create-home app\nCOPY . /app\nUSER app\n"
          "CMD [\"python\", \"/app/main.py\"]",
    references=(_CIS, _K8S_PSS, "https://docs.docker.com/build/building/best-practices/#user"),
    fix_guidance="Create an unprivileged user and switch to it with USER; in Kubernetes set runAsNonRoot: true.")

SECRET_IN_ENV = rule(
    "secret-in-environment", "Secret written into the environment", "high", "medium", (798, 522), A07,
    CONTAINER_LANGS,
    what="A password, token or key given as a literal `ENV`/`ARG` in a Dockerfile, or as a plain value in a "
         "compose `environment:` or a Kubernetes `env:` entry.",
    why="Image layers, `docker history`, `docker inspect`, the pod spec and the repository all keep the value; "
        "anyone who can read any of them has the credential.",
    vulnerable="services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: hunter2",
    fixed="services:\n  db:\n    image: postgres:16\n    environment:\n"
          "      POSTGRES_PASSWORD_FILE: /run/secrets/db_password\n    secrets: [db_password]",
    references=("https://docs.docker.com/compose/how-tos/use-secrets/",
                "https://kubernetes.io/docs/concepts/configuration/secret/",
                "https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/"),
    fix_guidance="Use build secrets (RUN --mount=type=secret), compose secrets, or Kubernetes Secrets via "
                 "valueFrom.secretKeyRef; interpolate ${VAR} from an untracked .env at most.")

SSH_EXPOSED = rule(
    "ssh-exposed", "SSH port exposed by a container", "medium", "medium", (284,), A05, CONTAINER_LANGS,
    what="A Dockerfile `EXPOSE 22` or a compose service publishing port 22.",
    why="An SSH daemon in a container is an extra login surface with its own keys and passwords; use "
        "`docker exec` or `kubectl exec` instead.",
    vulnerable="EXPOSE 22", fixed="EXPOSE 8080",
    references=(_CIS,))

PRIVILEGED = rule(
    "privileged-container", "Privileged container", "critical", "high", (250, 269), A05, ("yaml",),
    what="`privileged: true` in a compose service or a Kubernetes container securityContext.",
    why="A privileged container has every capability and every device of the host: escaping it is trivial.",
    vulnerable="services:\n  app:\n    image: app:1.4\n    privileged: true",
    fixed="services:\n  app:\n    image: app:1.4\n    cap_drop: [ALL]",
    references=(_K8S_PSS, _COMPOSE))

HOST_NAMESPACE = rule(
    "host-namespace-shared", "Host network, PID or IPC namespace shared", "high", "high", (653, 668), A05,
    ("yaml",),
    what="`network_mode: host`, `pid: host`, `ipc: host` (compose) or `hostNetwork`, `hostPID`, `hostIPC: true` "
         "(Kubernetes).",
    why="The container sees and can talk to the host's processes, loopback services and shared memory, "
        "bypassing network policy and isolation.",
    vulnerable="spec:\n  hostNetwork: true\n  containers:\n    - name: app\n      image: app:1.4",
    fixed="spec:\n  containers:\n    - name: app\n      image: app:1.4",
    references=(_K8S_PSS, _COMPOSE))

DANGEROUS_CAPABILITY = rule(
    "dangerous-capability", "Dangerous Linux capability added", "high", "high", (250,), A05, ("yaml",),
    what="`cap_add` / `capabilities.add` grants ALL, SYS_ADMIN, NET_ADMIN, SYS_PTRACE, SYS_MODULE, DAC_READ_SEARCH, "
         "SYS_RAWIO, BPF or similar.",
    why="These capabilities are each close to root on the host: mounting filesystems, loading kernel modules, "
        "tracing other processes, reconfiguring the network.",
    vulnerable="services:\n  app:\n    image: app:1.4\n    cap_add: [SYS_ADMIN]",
    fixed="services:\n  app:\n    image: app:1.4\n    cap_drop: [ALL]\n    cap_add: [NET_BIND_SERVICE]",
    references=(_K8S_PSS, "https://man7.org/linux/man-pages/man7/capabilities.7.html"))

DOCKER_SOCKET = rule(
    "docker-socket-mounted", "Docker socket mounted into a container", "critical", "high", (250, 668), A01,
    ("yaml",),
    what="A volume or hostPath mounts `/var/run/docker.sock` (or `/run/docker.sock`) into a container.",
    why="Whoever controls the container can start a privileged container with the host's root filesystem: "
        "full root on the host.",
    vulnerable="volumes:\n  - /var/run/docker.sock:/var/run/docker.sock",
    fixed="# talk to a socket proxy that allows only the API calls needed\nenvironment:\n"
          "  DOCKER_HOST: tcp://docker-socket-proxy:2375",
    references=("https://owasp.org/www-project-docker-top-10/",
                "https://cheatsheetseries.owasp.org/cheatsheets/Docker_Security_Cheat_Sheet.html"))

PRIVILEGE_ESCALATION = rule(
    "privilege-escalation-allowed", "Privilege escalation not disabled", "medium", "medium", (269,), A05, ("yaml",),
    what="A Kubernetes container without `allowPrivilegeEscalation: false` (the default is true), or with it "
         "set to true; a compose service without `security_opt: [no-new-privileges:true]` (Docker's default "
         "lets processes gain privileges).",
    why="setuid binaries and file capabilities inside the image can raise the process's privileges.",
    vulnerable="containers:\n  - name: app\n    image: app:1.4",
    fixed="containers:\n  - name: app\n    image: app:1.4\n    securityContext:\n"
          "      allowPrivilegeEscalation: false",
    references=(_K8S_PSS, "https://docs.docker.com/reference/cli/docker/container/run/#security-opt"),
    fix_guidance="Kubernetes: `allowPrivilegeEscalation: false`; compose: `security_opt: [\"no-new-privileges:true\"]`.")

MISSING_LIMITS = rule(
    "missing-resource-limits", "Container without memory or CPU limits", "medium", "high", (770, 400), A04,
    ("yaml",),
    what="A compose service or Kubernetes container with no memory limit or no CPU limit.",
    why="Without cgroup limits one runaway or attacked service (a leak, a fork bomb, a flood of uploads) "
        "takes the memory and CPU of the whole host and everything else on it goes down.",
    vulnerable="services:\n  api:\n    image: api:2.1",
    fixed="services:\n  api:\n    image: api:2.1\n    deploy:\n      resources:\n        limits:\n"
          "          memory: 512M\n          cpus: \"1.0\"",
    references=("https://docs.docker.com/reference/compose-file/deploy/#resources",
                "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/"),
    fix_guidance="Set memory and CPU limits (compose deploy.resources.limits, or mem_limit/cpus; Kubernetes "
                 "resources.limits).")

WRITABLE_ROOT = rule(
    "writable-root-filesystem", "Container root filesystem is writable", "low", "medium", (732,), A05, ("yaml",),
    what="A compose service without `read_only: true` or a Kubernetes container without "
         "`readOnlyRootFilesystem: true`.",
    why="An attacker who gets code execution can drop tools and persist changes in the container's filesystem.",
    vulnerable="containers:\n  - name: app\n    image: app:1.4",
    fixed="containers:\n  - name: app\n    image: app:1.4\n    securityContext:\n"
          "      readOnlyRootFilesystem: true",
    references=(_K8S_PSS, _CIS))

DATABASE_EXPOSED = rule(
    "database-port-exposed", "Database port published on all interfaces", "high", "high", (668, 284), A05,
    ("yaml",),
    what="A compose service publishes a database or cache port (5432, 3306, 6379, 27017, 9200, ...) without "
         "binding it to 127.0.0.1, or a Kubernetes Service exposes one through a LoadBalancer, NodePort or "
         "hostPort.",
    why="Docker's published ports bypass the host firewall (ufw); databases on 0.0.0.0 are found by internet "
        "scanners within hours.",
    vulnerable='services:\n  db:\n    image: postgres:16\n    ports:\n      - "5432:5432"',
    fixed='services:\n  db:\n    image: postgres:16\n    ports:\n      - "127.0.0.1:5432:5432"',
    references=("https://docs.docker.com/engine/network/packet-filtering-firewalls/",
                "https://docs.docker.com/reference/compose-file/services/#ports"),
    fix_guidance="Bind to 127.0.0.1 or leave the port unpublished and use the compose network.")

RULES = (RUNS_AS_ROOT, SECRET_IN_ENV, SSH_EXPOSED, PRIVILEGED, HOST_NAMESPACE, DANGEROUS_CAPABILITY, DOCKER_SOCKET,
         PRIVILEGE_ESCALATION, MISSING_LIMITS, WRITABLE_ROOT, DATABASE_EXPOSED)

DANGEROUS_CAPS = {"ALL", "SYS_ADMIN", "NET_ADMIN", "SYS_PTRACE", "SYS_MODULE", "DAC_READ_SEARCH", "SYS_RAWIO",
                  "SYS_BOOT", "BPF", "PERFMON", "SYS_TIME", "MAC_ADMIN", "MAC_OVERRIDE"}
DATABASE_PORTS = {5432, 3306, 33060, 6379, 27017, 27018, 9200, 9300, 11211, 5984, 9042, 1433, 1521, 8086, 7474, 7687,
                  2379, 26257, 9000}
