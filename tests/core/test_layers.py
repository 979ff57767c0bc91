"""scripts/check_layers.py, the `make check` rule that views and API modules stay thin."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("check_layers", ROOT / "scripts" / "check_layers.py")
check_layers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_layers)


def _messages(source: str) -> list[str]:
    return [m for _, m in check_layers.findings(source)]


def test_orm_access_and_audit_writes_are_found():
    src = (
        "from dxpool.core.audit import audit_record\n"
        "def view(request):\n"
        "    qs = Need.objects.all()\n"
        "    qs = selectors.need_scope(user=request.user).filter(status='open')\n"
        "    audit_record(actor=request.user)\n"
    )
    found = check_layers.findings(src)
    assert sorted(line for line, _ in found) == [1, 3, 4, 5]


def test_comments_strings_and_selector_calls_pass():
    src = (
        "# Need.objects.filter( in a comment is fine\n"
        "HELP = 'use .filter( in selectors'\n"
        "def view(request):\n"
        "    return selectors.need_list(user=request.user, status=request.GET.get('status'))\n"
    )
    assert _messages(src) == []


def test_only_views_and_api_modules_are_held_to_it():
    assert check_layers.is_thin_layer(Path("dxpool/needs/views.py"))
    assert check_layers.is_thin_layer(Path("dxpool/needs/api.py"))
    assert check_layers.is_thin_layer(Path("dxpool/needs/views/hearings.py"))
    assert not check_layers.is_thin_layer(Path("dxpool/needs/selectors.py"))
    assert not check_layers.is_thin_layer(Path("dxpool/needs/services/hearings.py"))


def test_a_breach_in_a_tree_fails_the_check(tmp_path):
    app = tmp_path / "app"
    app.mkdir()
    (app / "views.py").write_text("def v(r):\n    return M.objects.get()\n")
    (app / "selectors.py").write_text("def s():\n    return M.objects.filter(x=1)\n")
    assert check_layers.main(["check_layers", str(tmp_path)]) == 1
    (app / "views.py").write_text("def v(r):\n    return selectors.s()\n")
    assert check_layers.main(["check_layers", str(tmp_path)]) == 0
