"""A config key docfetch does not know is warned about, naming the closest known one; the run goes on."""

from __future__ import annotations

from tests.helpers import old_style_rfc


def _config(tmp_path, text: str) -> dict[str, str]:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return {"DOCFETCH_CONFIG": str(path)}


def test_misspelt_network_key_is_named_with_the_closest_one(ietf_world, run_docfetch, tmp_path):
    ietf_world.add_rfc(791, old_style_rfc(791))
    env = _config(tmp_path, "[network]\ntimout = 5\nretries = 1\n")
    result = run_docfetch("-q", "rfc:791", env_extra=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ietf_world.docs.rfcs[791]["txt"]
    path = tmp_path / "config.toml"
    assert result.stderr.decode() == (
        f"docfetch: warning: unknown key 'timout' in [network] of {path} (did you mean 'timeout'?)\n"
    )


def test_unknown_tables_and_top_level_keys(run_docfetch, tmp_path):
    env = _config(
        tmp_path,
        'timeout = 5\ncolour = "always"\n[netwrk]\nretries = 1\n[zzz]\n'
        '[network]\nretry_after_cap = 5\nmaxsize = "1M"\n'
        '[defaults]\nrfc = "ietf"\nspec = "example"\n'
        "[sources.my-plugin]\nanything = 1\n[sources.mirror]\nurls = []\n",
    )
    result = run_docfetch("--offline", "rfc:791", env_extra=env)
    path = tmp_path / "config.toml"
    warnings = [line for line in result.stderr.decode().splitlines() if "warning" in line]
    assert warnings == [
        f"docfetch: warning: unknown key 'timeout' at the top of {path} (did you mean it in [network]?)",
        f"docfetch: warning: unknown key 'colour' in {path}",
        f"docfetch: warning: unknown table [netwrk] in {path} (did you mean [network]?)",
        f"docfetch: warning: unknown table [zzz] in {path}",
        f"docfetch: warning: unknown key 'maxsize' in [network] of {path} (did you mean 'max_size'?)",
    ]
    assert result.returncode == 3  # the run went on: RFC 791 is simply not cached


def test_a_known_file_says_nothing(run_docfetch, tmp_path):
    env = _config(
        tmp_path,
        '[defaults]\nrfc = "ietf"\n[network]\ntimeout = 5\nretries = 1\nmax_size = "1M"\nretry_after_cap = 3\n'
        '[sources.mirror]\nurls = ["/srv/rfcs"]\n',
    )
    result = run_docfetch("--offline", "rfc:791", env_extra=env)
    assert result.returncode == 3
    assert b"warning" not in result.stderr, result.stderr


def test_control_characters_in_a_key_are_shown_inert(run_docfetch, tmp_path):
    env = _config(tmp_path, '[network]\n"time\\u001b]52;c;x\\u0007out" = 5\n')
    result = run_docfetch("--offline", "rfc:791", env_extra=env)
    assert b"\x1b" not in result.stderr and b"\x07" not in result.stderr
    assert b"unknown key 'time\\x1b]52;c;x\\x07out' in [network]" in result.stderr
