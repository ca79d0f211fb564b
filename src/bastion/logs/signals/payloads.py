"""Attack payloads in requests: SQL injection, XSS, traversal, command and template injection, SSRF, JNDI.

Patterns run on the request target after :func:`bastion.logs.decode.normalize`
(decoded up to three times, entities resolved, lower-cased, no NULs, SQL
comments read as spaces), so they are written for lower-case text. Header
values the server logs (User-Agent, Referer) are checked for the families that
arrive there: JNDI lookups, Shellshock, template injection.

Where the signatures come from (docs/engines/logs.md repeats this):
- the shapes follow the OWASP Core Rule Set's attack families (942 SQLi, 941 XSS,
  930 LFI, 932 RCE, 934 SSRF/SSTI, 944 Java) and the OWASP testing guide's
  payload classes, written anew for decoded, lower-cased text in RE2 syntax;
- operating-system file names come from CRS ``lfi-os-files.data`` and shell
  commands from ``unix-shell.data`` (vendored, Apache-2.0).
"""

from __future__ import annotations

from dataclasses import dataclass

from bastion.logs.data import crs_words
from bastion.logs.matcher import PatternSet, words_pattern

_SHELL_COMMANDS = (
    "cat", "ls", "id", "whoami", "uname", "wget", "curl", "nc", "ncat", "netcat", "bash", "sh", "zsh", "python", "python3",
    "perl", "php", "ruby", "ping", "nslookup", "dig", "sleep", "echo", "rm", "chmod", "powershell", "cmd", "ifconfig",
    "ipconfig", "net", "systeminfo", "busybox", "telnet", "passwd", "env", "printenv", "hostname", "pwd", "tftp", "base64",
)
_CMDS = "(?:" + "|".join(_SHELL_COMMANDS) + ")"
#: CRS php-function-names-933150: PHP functions no request parameter names in benign traffic.
PHP_FUNCTIONS = tuple(sorted({w.lower() for w in crs_words("php-function-names-933150") if w.isidentifier()}, key=lambda w: (-len(w), w)))

SQL_INJECTION = (
    r"union(?:\s|\(|\+)+(?:all\s+|distinct\s+)?\(?\s*select\b",
    r"['\")`]\s*(?:or|and|xor|\|\||&&)\s*\(?\s*['\"]?[\w@.]*['\"]?\s*(?:=|<>|!=|<|>|\blike\b|\bis\b|\bin\s*\(|\bbetween\b|\bregexp\b|\brlike\b)",
    r"\b(?:or|and)\s+\(?['\"]?(\d+)['\"]?\s*(?:=|<>|!=|<|>|like)\s*['\"]?\d+",
    r"['\")]\s*(?:or|and)\s+(?:not\s+)?(?:true|false|\d+|sleep|benchmark|exists|\()",
    r";\s*(?:drop|delete|insert|update|truncate|alter|create|exec|execute|declare|shutdown|select|waitfor)\s",
    r"\b(?:sleep|benchmark|pg_sleep|dbms_pipe\.receive_message|dbms_lock\.sleep|randomblob)\s*\(",
    r"waitfor\s+(?:delay|time)\s+['\"]",
    r"\b(?:information_schema|sysobjects|syscolumns|sqlite_master|pg_catalog|pg_shadow|mysql\.user|all_tables|user_tables|msysobjects)\b",
    r"@@(?:version|datadir|hostname|basedir)\b|\bversion\s*\(\s*\)|\b(?:current_user|session_user|system_user|database|user)\s*\(\s*\)\s*(?:--|#|,|\)|;|$)",
    r"\b(?:load_file|extractvalue|updatexml|group_concat|concat_ws|xp_cmdshell|sp_executesql|utl_http\.request|utl_inaddr|ctxsys\.drithsx|make_set|elt|exp\s*\(\s*~)\s*\(",
    r"\binto\s+(?:out|dump)file\b",
    r"\b(?:concat|char|chr|unhex|ascii|substring|substr|mid|ord|hex|cast|convert)\s*\(.*?\b(?:0x[0-9a-f]{2,}|select|from|char\(\d)",
    r"['\"]\s*(?:--|#|/\*|;\s*--|\)\s*--)",
    r"\border\s+by\s+\d+\s*(?:--|#|/\*)",
    r"['\")]\s*(?:;|\))\s*(?:select|insert|update|delete|drop)\b",
    r"\bselect\b.{1,120}\bfrom\b.{0,120}(?:--|#|\bwhere\b.{0,60}(?:=|like))",
    r"\b(?:having|group\s+by)\s+\d+\s*=\s*\d+",
    r"\bif\s*\(\s*\(?\s*\d+\s*=\s*\d+.{0,40}(?:sleep|benchmark)",
    r"\bcase\s+when\s+.{1,80}\bthen\b",
    r"['\"]\s*(?:or|and)\s+select\b|['\"]\s*\(\s*select\b|['\"]\s+(?:or|and)$",
    r"@@[a-z_]{3,}|\bexec(?:ute)?\s+(?:xp|sp)(?:_\w+)?\b|--\s*sp_password|\butl_(?:http|inaddr|file)\b",
    r"['\"]\s*\|\|\s*[a-z(]|['\"]\s*;\s*(?:--|#|$)",
    r"\[\$(?:ne|gt|gte|lt|lte|regex|where|nin|in|or|exists|expr)\]|\$where\b",  # NoSQL operators smuggled in parameter names
    # The probes that open every injection test: a parameter value made only of quotes, comment or statement
    # terminators, or a number with them appended (``id=1'``). CRS 942110 "common injection testing" flags
    # values that start or end with them; only these shapes are taken, so a search for "exact phrase" stays quiet.
    r"=\s*(?:\d+\s*)?(?:['\"`]|--|#|;)[\s'\"`;#=-]*(?:&|$)",
    # The "bad characters" probe: a quote among a run of SQL metacharacters (``<>"'%;)(&+``).
    r"['\"`][^\w\s]{0,4}[;)(][^\w\s]{0,4}[;)(]",
)

XSS = (
    r"<\s*/?\s*script\b",
    r"<[a-z][^>]*?[\s/\"'`]on[a-z]{3,}\s*=",
    r"['\"`]\s*on[a-z]{3,}\s*=",
    r"\b(?:javascript|vbscript|livescript)\s*:",
    r"<\s*(?:iframe|frame|frameset|object|embed|applet|svg|math|isindex|base|marquee|xss|meta\s[^>]*http-equiv|link\s[^>]*rel)\b",
    r"<\s*(?:img|image|video|audio|source|input|body|details|style|form|button|a|div|select|textarea|keygen|html|xmp|plaintext|table|td)\b[^>]*(?:src|href|action|formaction|data|style|background)\s*=\s*['\"]?\s*(?:javascript|vbscript|data\s*:)",
    r"\b(?:alert|prompt|confirm|eval|settimeout|setinterval|atob)\s*(?:\(|`)",
    r"document\s*\.\s*(?:cookie|domain|write|location)|window\s*\.\s*location|\.innerhtml\s*=|string\s*\.\s*fromcharcode",
    r"\bexpression\s*\(|-moz-binding|\bsrcdoc\s*=|data\s*:\s*text/html|@import\s",
    # an event handler written into a tag's attributes after breaking out of a quoted value (CRS 941120):
    # ``y" autofocus onfocus="...``
    r"['\"`][^<>'\"`]{0,80}[\s/]on[a-z]{3,25}[\s;,(]*=\s*['\"`]?[^=\s]",
    r"<\s*!\[cdata\[|<!--.*?-->.*?<",
)

PATH_TRAVERSAL = (
    r"(?:^|[/\\=?&;:]|%)\.\.+[/\\;]",
    r"\.\.(?:%|;|/|\\)",
    r"(?:^|[/\\=?&])\.\.$",
    r"\b(?:file|php|phar|zip|expect|data|glob|jar|netdoc|compress\.zlib)://",
    r"php://(?:filter|input|fd)",
    r"/proc/self/(?:environ|cmdline|fd|maps|cwd)",
    r"(?:c:|%systemroot%|%windir%)\\(?:windows|winnt|boot\.ini)",
    # a file name cut short with a NUL byte, so the application's own suffix is ignored (``e.php%00``, ``/etc/x%00``)
    r"(?:\.[a-z0-9]{1,5}|/[\w.-]*[a-z][\w.-]*)\x00+(?:$|[&.#?])",
    r"\b(?:boot\.ini|win\.ini|system\.ini|web\.config\.bak)\b",
)

COMMAND_INJECTION = (
    r"(?:;|\|\|?|&&|`|\$\(|\n|\r)\s*(?:/[\w/]*?/)?" + _CMDS + r"(?:\s|$|;|\||`|\)|<|>|&)",
    r"\$\{ifs\}|\$ifs\b|\{(?:cat|ls|id|wget|curl|echo),",
    r"`[^`]{0,60}\b" + _CMDS + r"\b[^`]*`",
    r"\$\(\s*" + _CMDS + r"\b",
    r"\(\s*\)\s*\{\s*[:;]?\s*;?\s*\}\s*;",  # Shellshock
    r"/bin/(?:ba|z|k|c|tc|da)?sh\b|/usr/bin/(?:env|perl|python\d?|ruby|php)\b|\bcmd(?:\.exe)?\s*/c\b|\bpowershell(?:\.exe)?\s+-",
    r"\b(?:nc|ncat|netcat)\s+(?:-[a-z]+\s+)*\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}",
    r"\b(?:wget|curl)\s+(?:-[a-z-]+\s+)*(?:https?|ftp)://",
    r">\s*/(?:tmp|dev/shm|var/tmp)/|/dev/tcp/",
    # a network command aimed at an address (the blind-injection probe: ``&ping -n 25 127.0.0.1&``)
    r"\b(?:ping|ping6|nslookup|dig|host|traceroute|tracert|telnet)\s+(?:-{1,2}[a-z]+\s+(?:\d+\s+)?)*(?:\d{1,3}\.){3}\d{1,3}\b",
    # PHP code injection (CRS 933): an opening tag, a call breaking out of a string (``';exit(...)``), a
    # high-risk function of CRS php-function-names-933150 called, a data: URI carrying ``<?php`` in base64,
    # a serialized object (933170)
    r"<\?(?:php|=)",
    r"['\"`]?\s*[;.]\s*(?:exit|die|eval|assert|system|passthru|exec|shell_exec|popen|proc_open|phpinfo|print_r|var_dump|"
    r"include|require|file_get_contents|file_put_contents|base64_decode|call_user_func|create_function|preg_replace)\s*\(",
    r"\b(?:" + "|".join(PHP_FUNCTIONS) + r")\s*\(",
    r"\bdata:[^,]{0,40};base64,\s*pd9",
    r"\b[oc]:\d+:\"[a-z_][\w\\]*\":\d+:\{",
)

TEMPLATE_INJECTION = (
    r"\{\{\s*-?\d+\s*[*+/-]\s*-?\d+\s*\}\}",
    r"\{\{.{0,200}?(?:__class__|__globals__|__mro__|__subclasses__|__builtins__|__import__|__init__|\bconfig\b|\bself\b|request\.application|\blipsum\b|\bcycler\b|\bjoiner\b|\bnamespace\b|\bget_flashed_messages\b|\burl_for\b|\|attr\b|constructor).{0,200}?\}\}",
    r"\{%\s*(?:import|include|set|for|if|debug|print|exec|load)\b",
    r"\$\{\s*-?\d+\s*[*+/]\s*-?\d+\s*\}",
    r"#\{\s*-?\d+\s*[*+/]\s*-?\d+\s*\}",
    r"<%=?\s*-?\d+\s*[*+/]\s*-?\d+\s*%>",
    r"\$\{\s*t\s*\(\s*java\.|freemarker\.template\.utility\.execute|#set\s*\(\s*\$|\$class\.inspect|\{php\}|\{\{\s*7\s*\*\s*'7'\s*\}\}",
    r"\*\{\s*t\s*\(|@\(\s*\d+\s*\*\s*\d+\s*\)|\$\{\{\s*\d+\s*\*",
)

SSRF = (
    r"(?:^|[=?&/])(?:https?|gopher|dict|ftp|ldap|tftp|sftp|jar|netdoc|ws)s?://(?:[^/@?#]*@)?(?:localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|0x7f|2130706433|017700000001|0177\.|\[?::1?\]?[:/]|\[::ffff:|169\.254\.\d+\.\d+|metadata\.google\.internal|metadata\.azure\.com|100\.100\.100\.200|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(?:1[6-9]|2\d|3[01])\.\d+\.\d+|[^/?#]*\.internal\b|[^/?#]*\.local(?:domain)?\b|0(?:[:/]|$))",
    r"\b(?:gopher|dict|ldap|tftp)://",
    r"169\.254\.169\.254|/latest/meta-data|/computemetadata/v1|/metadata/instance\b|/latest/api/token",
)

JNDI = (
    r"\$\{[^}]{0,80}?(?:jndi|ldaps?|rmi|dns|iiop|corba|nds|nis|http)\s*:",
    r"\$\{(?:lower|upper|env|sys|java|date|main|ctx|spring|k8s|docker|bundle|web|log4j|base64|marker|sd|event|jvmrunargs)\s*:",
    r"\$\{[^{}]{0,40}:-[^}]{0,5}\}",
    r"\$\{\s*\$\{",
)

#: Header values carry these families (Log4Shell in User-Agent, Shellshock in Referer).
HEADER_FAMILIES = ("log-jndi-lookup", "log-command-injection", "log-template-injection")


@dataclass(frozen=True)
class Families:
    """Every family's patterns in one RE2 set (one pass per text), and which family each pattern belongs to."""

    patterns: PatternSet
    owner: tuple[str, ...]
    headers: PatternSet
    header_owner: tuple[str, ...]


def os_files() -> list[str]:
    """CRS operating-system file names with a folder in them (``etc/passwd``): a traversal's usual goal."""
    return [w.lower() for w in crs_words("lfi-os-files") if "/" in w and len(w) > 6 and not w.startswith(".")]


def _families() -> Families:
    traversal = PATH_TRAVERSAL + (r"(?:^|[/=\\:])" + words_pattern(os_files())[4:],)
    table = (("log-sql-injection", SQL_INJECTION), ("log-xss", XSS), ("log-path-traversal", traversal),
             ("log-command-injection", COMMAND_INJECTION), ("log-template-injection", TEMPLATE_INJECTION),
             ("log-ssrf", SSRF), ("log-jndi-lookup", JNDI))
    flat = [(rule, p) for rule, patterns in table for p in patterns]
    header = [(rule, p) for rule, p in flat if rule in HEADER_FAMILIES]
    return Families(PatternSet([p for _, p in flat]), tuple(r for r, _ in flat),
                    PatternSet([p for _, p in header]), tuple(r for r, _ in header))


_CACHE: list[Families] = []


def families() -> Families:
    """The compiled families, built on first use."""
    if not _CACHE:
        _CACHE.append(_families())
    return _CACHE[0]


def target_rules(decoded_target: str) -> frozenset[str]:
    """Rule ids of the families whose patterns occur in a decoded request target."""
    compiled = families()
    return frozenset(compiled.owner[i] for i in compiled.patterns.matches(decoded_target)) if decoded_target else frozenset()


def header_rules(decoded_headers: str) -> frozenset[str]:
    """Rule ids of the header families (:data:`HEADER_FAMILIES`) whose patterns occur in decoded header values."""
    compiled = families()
    return frozenset(compiled.header_owner[i] for i in compiled.headers.matches(decoded_headers)) if decoded_headers else frozenset()


def merge(*found: frozenset[str]) -> list[str]:
    """The rules found in a request's parts, sorted; an ``ldap://`` URL inside a JNDI lookup is the lookup's own."""
    rules = set().union(*found)
    if "log-jndi-lookup" in rules:
        rules.discard("log-ssrf")
    return sorted(rules)


def detect(decoded_target: str, decoded_headers: str = "") -> list[str]:
    """Rule ids of the families whose patterns occur in the decoded request target (or header values)."""
    return merge(target_rules(decoded_target), header_rules(decoded_headers))
