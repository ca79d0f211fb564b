"""The application map on one small app per framework: routes, inputs, guards and reached operations, exactly."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bastion.audit import AppMap, AuditError, build_map

FIXTURES = Path(__file__).parent.parent / "fixtures" / "audit"


def summary(app_map: AppMap) -> dict:
    """Entry points keyed by (kind, framework, methods, path, handler): params, guard (kind, name)s, reach (category, call)s."""
    out = {}
    for e in app_map.entry_points:
        key = (e.kind, e.framework, e.methods, e.path, e.handler.name)
        assert key not in out, f"duplicate entry point {key}"
        out[key] = (
            sorted((p.name, p.location, p.type, p.required) for p in e.params),
            sorted({(g.kind, g.name) for g in e.guards}),
            sorted({(r.category, r.call) for r in e.reaches}),
        )
    return out

FLASK_APP = {
    ('http', 'flask', ('DELETE',), '/admin/orders/{order_id}', 'shop.admin.delete_order'): (
        [('order_id', 'path', 'int', True)],
        [('authorization', 'before_request require_admin'), ('csrf', 'CSRFProtect')],
        [('db-read', 'Order.query.get'), ('db-write', 'db.session.commit'), ('db-write', 'db.session.delete')],
    ),
    ('http', 'flask', ('POST',), '/shop/export', 'shop.views.export'): (
        [('format', 'body', None, True)],
        [('authentication', 'login_required'), ('csrf', 'CSRFProtect')],
        [('filesystem', 'open')],
    ),
    ('http', 'flask', ('GET',), '/shop/orders/{order_id}', 'shop.views.show_order'): (
        [('order_id', 'path', 'int', True)],
        [('authentication', 'login_required')],
        [('db-read', 'Order.query.get_or_404'), ('template', 'render_template')],
    ),
    ('http', 'flask', ('POST',), '/shop/orders/{order_id}', 'shop.views.update_order'): (
        [('note', 'form', None, True), ('order_id', 'path', 'int', True)],
        [('authentication', 'login_required'), ('csrf', 'CSRFProtect')],
        [('db-read', 'Order.query.get_or_404'), ('db-write', 'db.session.commit')],
    ),
    ('http', 'flask', ('GET',), '/shop/ping', 'shop.views.ping'): (
        [('host', 'query', None, True)],
        [],
        [('shell', 'subprocess.run')],
    ),
    ('http', 'flask', ('POST',), '/shop/search', 'shop.views.search'): (
        [('X-Api-Token', 'header', None, False), ('limit', 'query', 'int', False), ('page', 'query', 'int', False), ('q', 'query', None, False)],
        [('csrf', 'CSRFProtect')],
        [('outbound-http', 'requests.get'), ('session', "session['last_search']")],
    ),
}

FASTAPI_APP = {
    ('http', 'fastapi', ('DELETE',), '/admin/items/{item_id}', 'main.delete_item'): (
        [('item_id', 'path', 'int', True)],
        [('authorization', 'require_admin')],
        [('db-write', 'db.query().filter().delete')],
    ),
    ('http', 'fastapi', ('POST',), '/api/items/', 'main.create_item'): (
        [('description', 'body', 'str', False), ('name', 'body', 'str', True), ('price', 'body', 'float', True), ('tags', 'body', 'list', False), ('x-request-id', 'header', 'str', False)],
        [('authentication', 'get_current_user')],
        [('db-write', 'db.add'), ('db-write', 'db.commit')],
    ),
    ('http', 'fastapi', ('GET',), '/api/items/{item_id}', 'main.read_item'): (
        [('item_id', 'path', 'int', True), ('verbose', 'query', 'bool', False)],
        [('authentication', 'get_current_user')],
        [('db-read', 'db.query().filter().first')],
    ),
    ('http', 'fastapi', ('GET',), '/search', 'main.search'): (
        [('User-Agent', 'header', None, False), ('page', 'query', 'int', False), ('q', 'query', 'str', True)],
        [],
        [],
    ),
}

DJANGO_APP = {
    ('http', 'django-rest-framework', ('GET',), '/api/invoices/', 'shop.api.InvoiceViewSet.list'): (
        [],
        [('authentication', 'IsAuthenticated'), ('rate-limit', 'UserRateThrottle')],
        [('db-read', 'Invoice.objects.all')],
    ),
    ('http', 'django-rest-framework', ('POST',), '/api/invoices/', 'shop.api.InvoiceViewSet.create'): (
        [('amount', 'body', 'decimal', True), ('customer', 'body', None, False), ('note', 'body', 'str', False)],
        [('authentication', 'IsAuthenticated'), ('rate-limit', 'UserRateThrottle')],
        [('db-read', 'Invoice.objects.all'), ('db-write', 'InvoiceViewSet.create')],
    ),
    ('http', 'django-rest-framework', ('DELETE',), '/api/invoices/{pk}/', 'shop.api.InvoiceViewSet.destroy'): (
        [('pk', 'path', None, True)],
        [('authentication', 'IsAuthenticated'), ('rate-limit', 'UserRateThrottle')],
        [('db-read', 'Invoice.objects.all'), ('db-write', 'InvoiceViewSet.destroy')],
    ),
    ('http', 'django-rest-framework', ('GET',), '/api/invoices/{pk}/', 'shop.api.InvoiceViewSet.retrieve'): (
        [('pk', 'path', None, True)],
        [('authentication', 'IsAuthenticated'), ('rate-limit', 'UserRateThrottle')],
        [('db-read', 'Invoice.objects.all')],
    ),
    ('http', 'django-rest-framework', ('PATCH',), '/api/invoices/{pk}/', 'shop.api.InvoiceViewSet.partial_update'): (
        [('amount', 'body', 'decimal', True), ('customer', 'body', None, False), ('note', 'body', 'str', False), ('pk', 'path', None, True)],
        [('authentication', 'IsAuthenticated'), ('rate-limit', 'UserRateThrottle')],
        [('db-read', 'Invoice.objects.all'), ('db-write', 'InvoiceViewSet.partial_update')],
    ),
    ('http', 'django-rest-framework', ('PUT',), '/api/invoices/{pk}/', 'shop.api.InvoiceViewSet.update'): (
        [('amount', 'body', 'decimal', True), ('customer', 'body', None, False), ('note', 'body', 'str', False), ('pk', 'path', None, True)],
        [('authentication', 'IsAuthenticated'), ('rate-limit', 'UserRateThrottle')],
        [('db-read', 'Invoice.objects.all'), ('db-write', 'InvoiceViewSet.update')],
    ),
    ('http', 'django-rest-framework', ('GET',), '/api/stats/', 'shop.api.PublicStats.get'): (
        [('year', 'query', None, False)],
        [('rate-limit', 'UserRateThrottle')],
        [('db-read', 'Invoice.objects.filter().count')],
    ),
    ('http', 'django', ('POST',), '/shop/contact/', 'shop.views.contact'): (
        [('email', 'form', None, False), ('message', 'form', None, True)],
        [('csrf-exempt', 'csrf_exempt')],
        [('email', 'send_mail')],
    ),
    ('http', 'django', ('GET',), '/shop/files/{name}', 'shop.views.download'): (
        [('name', 'path', None, True)],
        [],
        [('filesystem', 'FileResponse'), ('filesystem', 'open')],
    ),
    ('http', 'django', ('GET',), '/shop/invoices/{pk}/', 'shop.views.invoice_detail'): (
        [('pk', 'path', 'int', True)],
        [('authentication', 'login_required')],
        [('db-read', 'get_object_or_404'), ('template', 'render')],
    ),
    ('http', 'django', ('POST',), '/shop/invoices/{pk}/delete/', 'shop.views.InvoiceDelete.post'): (
        [('pk', 'path', 'int', True)],
        [('authentication', 'LoginRequiredMixin'), ('csrf', 'CsrfViewMiddleware')],
        [('db-read', 'Invoice.objects.get'), ('db-write', 'invoice.delete')],
    ),
}

EXPRESS_APP = {
    ('http', 'express', ('DELETE',), '/api/users/{id}', 'callback@routes/users.js:18'): (
        [('id', 'path', None, True)],
        [('authentication', 'requireAuth'), ('authorization', 'requireAdmin'), ('rate-limit', 'rateLimit')],
        [('db-write', 'User.deleteOne')],
    ),
    ('http', 'express', ('GET',), '/api/users/{id}', 'callback@routes/users.js:7'): (
        [('id', 'path', None, True)],
        [('authentication', 'requireAuth'), ('rate-limit', 'rateLimit')],
        [('db-read', 'User.findById')],
    ),
    ('http', 'express', ('PUT',), '/api/users/{id}', 'callback@routes/users.js:12'): (
        [('email', 'body', None, False), ('id', 'path', None, True), ('name', 'body', None, False)],
        [('authentication', 'requireAuth'), ('rate-limit', 'rateLimit')],
        [('db-write', 'User.findByIdAndUpdate')],
    ),
    ('http', 'express', ('GET',), '/api/users/{id}/avatar', 'callback@routes/users.js:23'): (
        [('id', 'path', None, True), ('size', 'query', 'integer', False)],
        [('authentication', 'requireAuth'), ('rate-limit', 'rateLimit')],
        [('filesystem', 'res.sendFile')],
    ),
    ('http', 'express', ('GET',), '/version', 'callback@routes/meta.js:4'): (
        [],
        [],
        [],
    ),
    ('http', 'express', ('GET',), '/health', 'callback@app.js:9'): (
        [],
        [],
        [],
    ),
    ('http', 'express', ('POST',), '/webhooks/build', 'callback@app.js:13'): (
        [('branch', 'body', None, False)],
        [('rate-limit', 'rateLimit')],
        [('shell', 'exec')],
    ),
}

KOA_APP = {
    ('http', 'koa', ('POST',), '/v1/posts', 'callback@server.js:19'): (
        [('body', 'body', None, False), ('title', 'body', None, False)],
        [('authentication', 'authenticate'), ('rate-limit', 'ratelimit')],
        [('db-write', 'pool.query')],
    ),
    ('http', 'koa', ('GET',), '/v1/posts/{slug}', 'callback@server.js:14'): (
        [('slug', 'path', None, True)],
        [('rate-limit', 'ratelimit')],
        [('db-read', 'pool.query')],
    ),
    ('http', 'koa', ('GET',), '/v1/search', 'callback@server.js:25'): (
        [('Accept-Language', 'header', None, False), ('q', 'query', None, False)],
        [('rate-limit', 'ratelimit')],
        [('db-read', 'pool.query')],
    ),
}

FASTIFY_APP = {
    ('http', 'fastify', ('DELETE',), '/admin/users/{id}', 'callback@server.js:34'): (
        [('id', 'path', None, True)],
        [('authentication', 'app.authenticate')],
        [('db-write', 'app.db.deleteOne')],
    ),
    ('http', 'fastify', ('POST',), '/orders', 'callback@server.js:17'): (
        [('note', 'body', 'string', False), ('quantity', 'body', 'integer', True), ('sku', 'body', 'string', True)],
        [('authentication', 'fastify.authenticate')],
        [('db-write', 'fastify.db.insert')],
    ),
    ('http', 'fastify', ('GET',), '/rates/{currency}', 'callback@server.js:26'): (
        [('currency', 'path', 'string', True)],
        [],
        [('outbound-http', 'axios.get')],
    ),
}

NEXT_APP = {
    ('http', 'nextjs', ('GET',), '/api/items/{id}', 'app/api/items/[id]/route.GET'): (
        [('expand', 'query', None, False), ('id', 'path', None, True)],
        [],
        [('db-read', 'prisma.item.findUnique')],
    ),
    ('http', 'nextjs', ('PATCH',), '/api/items/{id}', 'app/api/items/[id]/route.PATCH'): (
        [('id', 'path', None, True), ('title', 'body', None, False)],
        [],
        [('db-write', 'prisma.item.update')],
    ),
    ('http', 'nextjs', ('DELETE', 'GET'), '/api/users/{id}', 'pages/api/users/[id].default'): (
        [('id', 'path', None, True)],
        [('authentication', 'getServerSession')],
        [('db-read', 'prisma.user.findUnique'), ('db-write', 'prisma.user.delete')],
    ),
}

JOBS_APP = {
    ('cli', 'argparse', (), 'prune', 'cli.prune'): (
        [('--keep', 'option', 'int', False), ('directory', 'argument', None, True)],
        [],
        [('filesystem', 'shutil.rmtree')],
    ),
    ('cli', 'click', (), 'restore', 'admin_cli.restore'): (
        [('--force', 'option', 'bool', False), ('--jobs', 'option', 'int', True), ('backup', 'argument', None, True)],
        [],
        [('shell', 'subprocess.run')],
    ),
    ('cli', 'typer', (), 'rotate-keys', 'admin_cli.rotate_keys'): (
        [('--dry-run', 'option', 'bool', False), ('name', 'argument', 'str', True)],
        [],
        [],
    ),
    ('queue', 'bull', (), 'emailQueue', 'callback@worker.js:8'): (
        [('job.data', 'message', None, False)],
        [],
        [('email', 'transporter.sendMail')],
    ),
    ('queue', 'celery', (), 'tasks.cleanup', 'tasks.cleanup'): (
        [('days', 'message', 'int', False)],
        [],
        [('db-write', 'Session.objects.filter().delete')],
    ),
    ('queue', 'celery', (), 'tasks.send_webhook', 'tasks.send_webhook'): (
        [('payload', 'message', None, True), ('url', 'message', None, True)],
        [],
        [('outbound-http', 'requests.post')],
    ),
    ('schedule', 'node-cron', (), '0 3 * * *', 'callback@worker.js:12'): (
        [],
        [],
        [],
    ),
    ('schedule', 'apscheduler', (), 'interval refresh_rates', 'tasks.refresh_rates'): (
        [],
        [],
        [('outbound-http', 'requests.get')],
    ),
    ('schedule', 'celery', (), 'nightly-cleanup', 'tasks.cleanup'): (
        [],
        [],
        [('db-write', 'Session.objects.filter().delete')],
    ),
}


@pytest.mark.parametrize("app, expected", [("flask_app", FLASK_APP), ("fastapi_app", FASTAPI_APP), ("django_app", DJANGO_APP), ("express_app", EXPRESS_APP), ("koa_app", KOA_APP), ("fastify_app", FASTIFY_APP), ("next_app", NEXT_APP), ("jobs_app", JOBS_APP)])
def test_entry_points_exactly(app, expected):
    assert summary(build_map(FIXTURES / app)) == expected


def test_map_round_trips_through_json():
    app_map = build_map(FIXTURES / "express_app")
    data = json.loads(json.dumps(app_map.to_dict()))
    assert AppMap.from_dict(data).to_dict() == app_map.to_dict()
    first = data["entry_points"][0]
    assert set(first) == {"id", "kind", "framework", "methods", "path", "handler", "params", "guards", "reaches", "identity"}
    assert set(first["handler"]) == {"path", "line", "name"}


def test_guard_and_reach_locations_point_at_the_evidence():
    app_map = build_map(FIXTURES / "flask_app")
    ping = next(e for e in app_map.entry_points if e.path == "/shop/ping")
    (reach,) = ping.reaches
    assert (reach.location.path, reach.location.line) == ("shop/views.py", 52)
    export = next(e for e in app_map.entry_points if e.path == "/shop/export")
    (fs,) = export.reaches
    assert fs.via == ("shop.services.export_orders",) and fs.location.path == "shop/services.py"
    assert ping.handler.to_dict() == {"path": "shop/views.py", "line": 50, "name": "shop.views.ping"}


def test_symlinks_out_of_the_tree_and_test_code_are_not_entry_points(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "routes.py").write_text("from flask import Flask\napp = Flask(__name__)\n@app.get('/leak')\ndef leak():\n    return 'x'\n")
    root = tmp_path / "app"
    (root / "tests").mkdir(parents=True)
    os.symlink(outside / "routes.py", root / "linked.py")
    (root / "tests" / "test_app.py").write_text("from flask import Flask\napp = Flask(__name__)\n@app.get('/in-test')\ndef t():\n    return 'x'\n")
    (root / "main.py").write_text("from flask import Flask\napp = Flask(__name__)\n@app.get('/real')\ndef real():\n    return 'x'\n")
    assert [e.path for e in build_map(root).entry_points] == ["/real"]


def test_a_missing_root_is_an_error(tmp_path):
    with pytest.raises(AuditError):
        build_map(tmp_path / "nope")
