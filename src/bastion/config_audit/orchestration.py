"""docker-compose and Kubernetes checks, over the same container-containment rules.

Both describe containers as YAML; each gets its own walker that finds the
containers and hands each setting to a shared verdict, so a weakness has one
id and one message whichever file format spelled it.
"""

from __future__ import annotations

import re

from typing import Any, Iterator

from bastion.config_audit.base import Emitter, is_reference, is_secret_name
from bastion.config_audit.container_rules import (
    DANGEROUS_CAPABILITY, DANGEROUS_CAPS, DATABASE_EXPOSED, DATABASE_PORTS, DOCKER_SOCKET, HOST_NAMESPACE,
    MISSING_LIMITS, PRIVILEGE_ESCALATION, PRIVILEGED, RUNS_AS_ROOT, SECRET_IN_ENV, SSH_EXPOSED, WRITABLE_ROOT)
from bastion.config_audit.yamldoc import YamlDoc, get
from bastion.core.model import Finding

_DOCKER_SOCKETS = ("/var/run/docker.sock", "/run/docker.sock")
_DB_IMAGES = ("postgres", "postgis", "timescaledb", "mysql", "mariadb", "mongo", "mongodb", "redis", "elasticsearch",
              "opensearch", "memcached", "cassandra", "couchdb", "mssql", "influxdb", "neo4j", "clickhouse",
              "cockroach", "cockroachdb", "etcd", "valkey", "keydb", "dragonfly", "scylla", "percona", "rethinkdb")


#: Words that make a database's name a tool's: mongo-express and redis-commander are web UIs, not databases.
_DB_TOOL_WORDS = {"express", "commander", "insight", "exporter", "ui", "admin", "web", "backup", "dump", "operator",
                  "proxy", "cli", "client", "gui", "studio", "browser", "dashboard"}


def is_database_image(image: str) -> bool:
    """The image runs a database server (``postgres:16``, ``bitnami/redis``, ``mcr.microsoft.com/mssql/server``),
    not a tool named after one (``mongo-express``, ``redis-commander``, ``prometheuscommunity/postgres-exporter``)."""
    segments = image.lower().split("@", 1)[0].split("/")
    segments[-1] = segments[-1].split(":", 1)[0]
    words = set(re.split(r"[-_.]", segments[-1]))
    if words & _DB_TOOL_WORDS:
        return False
    names = [segment for segment in segments[-2:] if segment]
    return any(name == db or name.startswith(db) and name[len(db):].lstrip("-_.").replace(".", "").isdigit()
               or db in re.split(r"[-_.]", name) for name in names for db in _DB_IMAGES)


def _true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def _socket(path: Any) -> bool:
    return isinstance(path, str) and path.rstrip("/").endswith(_DOCKER_SOCKETS)


def _caps(values: Any) -> list[str]:
    if not isinstance(values, list):
        return []
    caps = [str(v).upper().removeprefix("CAP_") for v in values]
    return [c for c in caps if c in DANGEROUS_CAPS]


def _root_user(value: Any) -> bool:
    return str(value).strip().lower() in ("root", "0", "root:root", "0:0")


# --- docker compose ---------------------------------------------------------------------------------------------

def check_compose(emit: Emitter, doc: YamlDoc) -> Iterator[Finding]:
    services = get(doc.data, "services")
    if not isinstance(services, dict):
        return
    for name, service in services.items():
        if isinstance(service, dict):
            yield from _service(emit, doc, ("services", name), str(name), service)


def _service(emit: Emitter, doc: YamlDoc, at: tuple, name: str, svc: dict) -> Iterator[Finding]:
    line = doc.line
    privileged = _true(svc.get("privileged"))
    if privileged:
        yield emit(PRIVILEGED, f"service {name} runs privileged", line(at + ("privileged",)))
    elif not _no_new_privileges(svc.get("security_opt")):
        yield emit(PRIVILEGE_ESCALATION, f"service {name} does not set security_opt: no-new-privileges:true",
                   line(at + ("security_opt",)) if "security_opt" in svc else line(at))
    for key in ("network_mode", "pid", "ipc", "userns_mode", "uts"):
        if str(svc.get(key, "")).lower() == "host":
            yield emit(HOST_NAMESPACE, f"service {name} shares the host's {key.split('_')[0]} namespace",
                       line(at + (key,)))
    caps = _caps(svc.get("cap_add"))
    if caps:
        yield emit(DANGEROUS_CAPABILITY, f"service {name} adds {', '.join(caps)}", line(at + ("cap_add",)))
    for index, volume in enumerate(svc.get("volumes") or () if isinstance(svc.get("volumes"), list) else ()):
        source = volume.get("source") if isinstance(volume, dict) else str(volume).split(":", 1)[0]
        if _socket(source):
            yield emit(DOCKER_SOCKET, f"service {name} mounts the Docker socket", line(at + ("volumes", index)))
    if "user" in svc and _root_user(svc["user"]):
        yield emit(RUNS_AS_ROOT, f"service {name} runs as {svc['user']}", line(at + ("user",)))
    yield from _compose_limits(emit, doc, at, name, svc)
    yield from _compose_environment(emit, doc, at, name, svc.get("environment"))
    if not _true(svc.get("read_only")):
        yield emit(WRITABLE_ROOT, f"service {name} has a writable root filesystem (no read_only: true)", line(at))
    yield from _compose_ports(emit, doc, at, name, svc)


def _no_new_privileges(options: Any) -> bool:
    """Whether compose ``security_opt`` turns on no-new-privileges (``no-new-privileges``, ``:true`` or ``=true``)."""
    if not isinstance(options, list):
        return False
    spelled = {str(o).replace(" ", "").replace("=", ":").lower() for o in options}
    return bool(spelled & {"no-new-privileges", "no-new-privileges:true"})


def _compose_limits(emit: Emitter, doc: YamlDoc, at: tuple, name: str, svc: dict) -> Iterator[Finding]:
    limits = get(svc, "deploy", "resources", "limits", default={})
    limits = limits if isinstance(limits, dict) else {}
    missing = []
    if not (limits.get("memory") or svc.get("mem_limit")):
        missing.append("memory")
    if not (limits.get("cpus") or svc.get("cpus") or svc.get("cpu_quota") or svc.get("cpu_count")):
        missing.append("CPU")
    if missing:
        yield emit(MISSING_LIMITS, f"service {name} has no {' or '.join(missing)} limit", doc.line(at))


def _compose_environment(emit: Emitter, doc: YamlDoc, at: tuple, name: str, env: Any) -> Iterator[Finding]:
    items: list[tuple[Any, str, Any]] = []
    if isinstance(env, dict):
        items = [(key, str(key), value) for key, value in env.items()]
    elif isinstance(env, list):
        for index, entry in enumerate(env):
            key, sep, value = str(entry).partition("=")
            items.append((index, key, value if sep else None))
    for where, key, value in items:
        if value is not None and is_secret_name(key) and not is_reference(str(value)):
            yield emit(SECRET_IN_ENV, f"service {name} sets {key} to a literal value",
                       doc.line(at + ("environment", where)), secret=str(value))


def _compose_ports(emit: Emitter, doc: YamlDoc, at: tuple, name: str, svc: dict) -> Iterator[Finding]:
    ports = svc.get("ports")
    if not isinstance(ports, list):
        return
    database_image = is_database_image(str(svc.get("image", "")))
    for index, port in enumerate(ports):
        host_ip, container = _published(port)
        if container is None:
            continue
        where = doc.line(at + ("ports", index))
        if container == 22:
            yield emit(SSH_EXPOSED, f"service {name} publishes SSH (port 22)", where)
        if host_ip in ("127.0.0.1", "::1", "[::1]", "localhost"):
            continue
        if container in DATABASE_PORTS or (database_image and container != 22):
            yield emit(DATABASE_EXPOSED, f"service {name} publishes port {container} on all interfaces", where)


def _published(port: Any) -> tuple[str, int | None]:
    """(host ip, container port) of a compose port entry, short or long syntax."""
    if isinstance(port, dict):
        target = port.get("target")
        return str(port.get("host_ip", "")), target if isinstance(target, int) else _int(str(target))
    text = str(port).split("/", 1)[0]
    host_ip = ""
    if text.startswith("["):
        host_ip, _, text = text[1:].partition("]:")
    parts = text.split(":")
    if len(parts) == 3:
        host_ip = parts[0]
    elif len(parts) == 1 and isinstance(port, int):
        return "", port
    return host_ip, _int(parts[-1].split("-")[0])


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() else None


# --- Kubernetes -------------------------------------------------------------------------------------------------

_POD_SPEC_PATHS = {
    "Pod": ("spec",), "Deployment": ("spec", "template", "spec"), "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"), "ReplicaSet": ("spec", "template", "spec"),
    "ReplicationController": ("spec", "template", "spec"), "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"), "PodTemplate": ("template", "spec"),
}


def is_kubernetes(data: Any) -> bool:
    return isinstance(data, dict) and "apiVersion" in data and "kind" in data


def check_kubernetes(emit: Emitter, doc: YamlDoc) -> Iterator[Finding]:
    objects: list[tuple[tuple, Any]] = [((), doc.data)]
    if get(doc.data, "kind") == "List" and isinstance(get(doc.data, "items"), list):
        objects = [(("items", i), item) for i, item in enumerate(doc.data["items"])]
    for at, obj in objects:
        kind = get(obj, "kind")
        if kind == "Service":
            yield from _service_exposure(emit, doc, at, obj)
        spec_path = _POD_SPEC_PATHS.get(kind) if isinstance(kind, str) else None
        pod = get(obj, *spec_path) if spec_path else None
        if isinstance(pod, dict):
            name = str(get(obj, "metadata", "name", default=kind))
            yield from _pod(emit, doc, at + spec_path, name, pod)


def _pod(emit: Emitter, doc: YamlDoc, at: tuple, name: str, pod: dict) -> Iterator[Finding]:
    for key in ("hostNetwork", "hostPID", "hostIPC"):
        if _true(pod.get(key)):
            yield emit(HOST_NAMESPACE, f"{name} sets {key}: true", doc.line(at + (key,)))
    for index, volume in enumerate(pod.get("volumes") or () if isinstance(pod.get("volumes"), list) else ()):
        if _socket(get(volume, "hostPath", "path")):
            yield emit(DOCKER_SOCKET, f"{name} mounts the Docker socket from the host",
                       doc.line(at + ("volumes", index)))
    pod_ctx = pod.get("securityContext") if isinstance(pod.get("securityContext"), dict) else {}
    yield from _root_settings(emit, doc, at + ("securityContext",), name, pod_ctx)
    for group in ("initContainers", "containers", "ephemeralContainers"):
        containers = pod.get(group)
        for index, container in enumerate(containers if isinstance(containers, list) else ()):
            if isinstance(container, dict):
                yield from _container(emit, doc, at + (group, index), name, container, pod_ctx, group)


def _root_settings(emit: Emitter, doc: YamlDoc, at: tuple, name: str, ctx: dict) -> Iterator[Finding]:
    if "runAsUser" in ctx and _root_user(ctx["runAsUser"]):
        yield emit(RUNS_AS_ROOT, f"{name} sets runAsUser: 0", doc.line(at + ("runAsUser",)))
    if ctx.get("runAsNonRoot") is False:
        yield emit(RUNS_AS_ROOT, f"{name} sets runAsNonRoot: false", doc.line(at + ("runAsNonRoot",)))


def _container(emit: Emitter, doc: YamlDoc, at: tuple, pod_name: str, c: dict, pod_ctx: dict,
               group: str) -> Iterator[Finding]:
    name = f"{pod_name}/{c.get('name', '?')}"
    ctx = c.get("securityContext") if isinstance(c.get("securityContext"), dict) else {}
    sc = at + ("securityContext",)
    privileged = _true(ctx.get("privileged"))
    if privileged:
        yield emit(PRIVILEGED, f"container {name} is privileged", doc.line(sc + ("privileged",)))
    caps = _caps(get(ctx, "capabilities", "add"))
    if caps:
        yield emit(DANGEROUS_CAPABILITY, f"container {name} adds {', '.join(caps)}",
                   doc.line(sc + ("capabilities", "add")))
    yield from _root_settings(emit, doc, sc, f"container {name}", ctx)
    escalation = ctx.get("allowPrivilegeEscalation")
    if _true(escalation) or (not privileged and escalation is not False):
        yield emit(PRIVILEGE_ESCALATION, f"container {name} does not set allowPrivilegeEscalation: false",
                   doc.line(sc + ("allowPrivilegeEscalation",) if "allowPrivilegeEscalation" in ctx else at))
    if ctx.get("readOnlyRootFilesystem") is not True:
        yield emit(WRITABLE_ROOT, f"container {name} does not set readOnlyRootFilesystem: true",
                   doc.line(sc + ("readOnlyRootFilesystem",) if "readOnlyRootFilesystem" in ctx else at))
    if group != "ephemeralContainers":
        limits = get(c, "resources", "limits", default={})
        limits = limits if isinstance(limits, dict) else {}
        missing = [kind for kind in ("memory", "cpu") if not limits.get(kind)]
        if missing:
            yield emit(MISSING_LIMITS, f"container {name} has no {' or '.join(missing)} limit", doc.line(at))
    env = c.get("env")
    for index, var in enumerate(env if isinstance(env, list) else ()):
        if isinstance(var, dict) and "value" in var and is_secret_name(str(var.get("name", ""))) \
                and not is_reference(str(var["value"])):
            yield emit(SECRET_IN_ENV, f"container {name} sets {var.get('name')} to a literal value",
                       doc.line(at + ("env", index)), secret=str(var["value"]))
    ports = c.get("ports")
    for index, port in enumerate(ports if isinstance(ports, list) else ()):
        if isinstance(port, dict) and port.get("hostPort") and port.get("containerPort") in DATABASE_PORTS:
            yield emit(DATABASE_EXPOSED, f"container {name} publishes {port.get('containerPort')} on the node",
                       doc.line(at + ("ports", index)))


def _service_exposure(emit: Emitter, doc: YamlDoc, at: tuple, svc: dict) -> Iterator[Finding]:
    kind = get(svc, "spec", "type")
    if kind not in ("LoadBalancer", "NodePort"):
        return
    ports = get(svc, "spec", "ports")
    for index, port in enumerate(ports if isinstance(ports, list) else ()):
        number = get(port, "targetPort") if isinstance(get(port, "targetPort"), int) else get(port, "port")
        if number in DATABASE_PORTS:
            yield emit(DATABASE_EXPOSED, f"Service {get(svc, 'metadata', 'name')} exposes {number} through {kind}",
                       doc.line(at + ("spec", "ports", index)))
