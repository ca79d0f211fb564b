"""Rules about container containment, shared by the Dockerfile, compose and Kubernetes checks.

One weakness, one id: running as root is the same mistake whether a
Dockerfile forgets ``USER`` or a pod sets ``runAsUser: 0``.
"""

from __future__ import annotations

from bastion.config_audit.rules import take

RULES = take("container-runs-as-root", "secret-in-environment", "ssh-exposed", "privileged-container",
             "host-namespace-shared", "dangerous-capability", "docker-socket-mounted",
             "privilege-escalation-allowed", "missing-resource-limits", "writable-root-filesystem",
             "database-port-exposed")
(RUNS_AS_ROOT, SECRET_IN_ENV, SSH_EXPOSED, PRIVILEGED, HOST_NAMESPACE, DANGEROUS_CAPABILITY, DOCKER_SOCKET,
 PRIVILEGE_ESCALATION, MISSING_LIMITS, WRITABLE_ROOT, DATABASE_EXPOSED) = RULES

DANGEROUS_CAPS = {"ALL", "SYS_ADMIN", "NET_ADMIN", "SYS_PTRACE", "SYS_MODULE", "DAC_READ_SEARCH", "SYS_RAWIO",
                  "SYS_BOOT", "BPF", "PERFMON", "SYS_TIME", "MAC_ADMIN", "MAC_OVERRIDE"}
#: Ports that are a database's whatever the image: each is that database's registered default. Ports shared
#: with other servers (9000: PHP-FPM, MinIO, SonarQube; 8086; 8123) count only on a database image.
DATABASE_PORTS = {5432, 3306, 33060, 6379, 27017, 27018, 9200, 9300, 11211, 5984, 9042, 1433, 1521, 7474, 7687,
                  2379, 26257}
