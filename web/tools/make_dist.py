#!/usr/bin/python3
"""Turns the web build's raw output into the dist the server serves (run by CMake after the wasm link).

- Content-hashed names for everything the page loads (mizumori_web.<hash>.js/.wasm, mizu.<hash>.js,
  style.<hash>.css, fonts/ui.<hash>.ttf, fonts/jis.<hash>.ttf, icons/*.<hash>.png): served immutable, so a
  return visit downloads nothing. The unhashed entry points are index.html, sw.js and manifest.webmanifest
  (served no-cache).
- mizu.js gets the map of the names it and the Emscripten loader fetch (the fonts, the wasm through
  Module.locateFile); index.html is rewritten to reference the hashed files.
- manifest.webmanifest (installable app) and sw.js (the service worker, with the precache list and version).
- A .br (brotli 11) and .gz (gzip 9) sibling of every compressible file, when smaller; compressed outputs are
  cached by content hash in CACHE_DIR (pruned to this build's files), so an unchanged 2 MB font is not
  recompressed on every build.

The new dist is assembled next to OUT_DIR and swapped in with renames, so a running server never sees half a dist.

usage: make_dist.py SHELL_DIR RAW_DIR OUT_DIR CACHE_DIR STAMP_FILE
"""
import gzip
import hashlib
import json
import re
import shutil
import sys
from pathlib import Path

import brotli

HASH_LEN = 10
COMPRESSIBLE = {".html", ".js", ".css", ".wasm", ".ttf", ".webmanifest", ".json", ".svg", ".txt"}
THEME_COLOUR = "#0068B7"      # <meta name="theme-color"> in web/shell/index.html
BACKGROUND_COLOUR = "#f5f7fa"  # body background in web/shell/style.css


def digest(data):
    return hashlib.sha256(data).hexdigest()


def hashed_name(name, data):
    path = Path(name)
    return str(path.with_name(f"{path.stem}.{digest(data)[:HASH_LEN]}{path.suffix}"))


def replace_marker(text, marker, value, what):
    """Replaces /*@MARKER@*/<default> (the default being {} [] or a '...' string) with value."""
    pattern = re.compile(r"/\*@" + marker + r"@\*/(\{\}|\[\]|'[^']*')")
    if len(pattern.findall(text)) != 1:
        sys.exit(f"make_dist: {what} must contain /*@{marker}@*/ exactly once")
    return pattern.sub(lambda _: value, text)


def compressed(data, kind, suffix, cache_dir, used):
    key = cache_dir / f"{digest(data)}.{kind}"
    used.add(key.name)
    if key.exists():
        return key.read_bytes()
    if kind == "br":
        mode = brotli.MODE_FONT if suffix == ".ttf" else (
            brotli.MODE_GENERIC if suffix == ".wasm" else brotli.MODE_TEXT)
        out = brotli.compress(data, quality=11, mode=mode)
    else:
        out = gzip.compress(data, compresslevel=9, mtime=0)
    tmp = key.with_suffix(".tmp")
    tmp.write_bytes(out)
    tmp.replace(key)
    return out


def main():
    shell, raw, out, cache_dir, stamp = (Path(a) for a in sys.argv[1:6])
    cache_dir.mkdir(parents=True, exist_ok=True)
    files = {}  # served name -> bytes

    def add_hashed(name, data):
        served = hashed_name(name, data)
        files[served] = data
        return served

    # 1. Leaves: files that reference nothing by name.
    names = {}
    for name in ("fonts/ui.ttf", "fonts/jis.ttf", "mizumori_web.wasm", "icons/icon-192.png", "icons/icon-512.png",
                 "icons/maskable-512.png"):
        names[name] = add_hashed(name, (raw / name).read_bytes())
    names["style.css"] = add_hashed("style.css", (shell / "style.css").read_bytes())
    names["semantics.js"] = add_hashed("semantics.js", (shell / "semantics.js").read_bytes())

    # 2. The Emscripten loader finds the wasm through Module.locateFile (set in mizu.js); make sure it still asks
    #    for it by that name, or the hashed wasm would never be found.
    loader = (raw / "mizumori_web.js").read_bytes()
    for needle in (b"mizumori_web.wasm", b"locateFile"):
        if needle not in loader:
            sys.exit(f"make_dist: mizumori_web.js does not mention {needle.decode()}; "
                     "the hashed wasm cannot be located")
    names["mizumori_web.js"] = add_hashed("mizumori_web.js", loader)

    # 3. mizu.js with the names it (fonts) and the loader (wasm, through locateFile) fetch.
    runtime = {k: names[k] for k in ("fonts/ui.ttf", "fonts/jis.ttf", "mizumori_web.wasm")}
    mizu = (shell / "mizu.js").read_text(encoding="utf-8")
    mizu = replace_marker(mizu, "ASSETS", json.dumps(runtime, sort_keys=True), "mizu.js")
    names["mizu.js"] = add_hashed("mizu.js", mizu.encode("utf-8"))

    # 4. The web app manifest (unhashed: its URL is the installed app's identity).
    manifest = {
        "id": "./",
        "name": "水守",
        "short_name": "水守",
        "description": "水道局 お客さまポータル — ご利用実績・料金・見守り",
        "lang": "ja",
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "orientation": "any",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": names["icons/icon-192.png"], "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": names["icons/icon-512.png"], "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": names["icons/maskable-512.png"], "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"},
        ],
    }
    files["manifest.webmanifest"] = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    # 5. index.html referencing the hashed files; every local reference must resolve.
    html = (shell / "index.html").read_text(encoding="utf-8")
    unresolved = []

    def rewrite(m):
        attr, ref = m.group(1), m.group(2)
        if ref in names:
            return f'{attr}="{names[ref]}"'
        if ref not in ("manifest.webmanifest",) and not re.match(r"^[a-z]+:", ref):
            unresolved.append(ref)
        return m.group(0)

    html = re.sub(r'\b(src|href)="([^"]*)"', rewrite, html)
    if unresolved:
        sys.exit(f"make_dist: index.html references files the dist does not have: {unresolved}")
    for needed in ("mizu.js", "semantics.js", "mizumori_web.js", "style.css"):
        if f'"{names[needed]}"' not in html:
            sys.exit(f"make_dist: index.html does not load {needed}")
    if THEME_COLOUR.lower() not in html.lower():
        sys.exit(f"make_dist: index.html's theme-color is no longer {THEME_COLOUR}; update make_dist.py")
    files["index.html"] = html.encode("utf-8")

    # 6. The service worker: the shell to precache (hashed files, cache-first) and a version that changes with it.
    precache = ["index.html"] + sorted(names[k] for k in names)
    sw = (shell / "sw.js").read_text(encoding="utf-8")
    sw = replace_marker(sw, "PRECACHE", json.dumps(precache), "sw.js")
    sw = replace_marker(sw, "VERSION", "'" + digest("\n".join(precache).encode())[:HASH_LEN] + "'", "sw.js")
    files["sw.js"] = sw.encode("utf-8")

    # 7. Write the new dist with compressed siblings, then swap it in.
    new = out.with_name(out.name + ".new")
    old = out.with_name(out.name + ".old")
    for d in (new, old):
        shutil.rmtree(d, ignore_errors=True)
    used = set()
    for name, data in sorted(files.items()):
        path = new / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        if path.suffix in COMPRESSIBLE:
            for kind, ext in (("br", ".br"), ("gz", ".gz")):
                packed = compressed(data, kind, path.suffix, cache_dir, used)
                if len(packed) < len(data):
                    path.with_name(path.name + ext).write_bytes(packed)
    if out.exists():
        out.rename(old)
    new.rename(out)
    shutil.rmtree(old, ignore_errors=True)
    for stale in cache_dir.iterdir():  # keep the cache to what this build uses
        if stale.name not in used:
            stale.unlink()
    stamp.write_text("\n".join(sorted(files)) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
