# Sourced by scripts/demo and scripts/test: installs what is missing, skips what is
# there. Each function is safe to call twice.
#
#   need_rust_tools    rustfmt, clippy, the wasm32-unknown-unknown target
#   need_wasm_pack     wasm-pack, and wasm-bindgen-cli at the version Cargo.lock pins
#                      (wasm-pack would try to download it; here it is built by cargo)
#   need_npm           node_modules from package-lock.json (binaryen's wasm-opt,
#                      typescript, playwright-core), put on PATH
#   need_chromium      Debian's chromium, for the browser tests
#   need_mdbook        mdbook and mdbook-linkcheck, for the book in docs/
#   need_java          a Java runtime for Spark (Debian's openjdk-17-jre-headless)
#   need_python        target/venv: the Python package's test requirements
#                      (python/requirements-test.txt) and the package (pip install ./python)
#   build_wasm         pkg/: wasm-pack build --target web --profile wasm-release, the
#                      main module and the decoder module (pkg/decoder/)

step() { printf '\n==> %s\n' "$*"; }

need_rust_tools() {
  local installed
  installed=$(rustup component list --installed)
  for component in rustfmt clippy; do
    grep -q "^$component" <<<"$installed" || rustup component add "$component"
  done
  rustup target list --installed | grep -qx wasm32-unknown-unknown ||
    rustup target add wasm32-unknown-unknown
}

need_wasm_pack() {
  command -v wasm-pack >/dev/null || cargo install wasm-pack --version 0.15.1
  local want
  want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
  if [[ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $want" ]]; then
    # Not --locked: its lock file names a webpki-roots release the registry lacks.
    cargo install wasm-bindgen-cli --version "$want"
  fi
}

need_npm() {
  local stamp=node_modules/.boildown-lock
  if ! cmp -s package-lock.json "$stamp" 2>/dev/null; then
    npm ci --no-audit --no-fund
    cp package-lock.json "$stamp"
  fi
  export PATH="$PWD/node_modules/.bin:$PATH"
}

need_chromium() {
  command -v chromium >/dev/null && return
  local sudo=""
  [[ $(id -u) -eq 0 ]] || sudo=sudo
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q chromium
}

need_java() {
  command -v java >/dev/null && return
  local sudo=""
  [[ $(id -u) -eq 0 ]] || sudo=sudo
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q openjdk-17-jre-headless
}

need_python() {
  local venv=target/venv stamp=target/venv/.boildown-requirements
  [[ -x $venv/bin/python ]] || python3 -m venv "$venv"
  if ! cmp -s python/requirements-test.txt "$stamp" 2>/dev/null; then
    "$venv/bin/pip" install -q --upgrade pip
    "$venv/bin/pip" install -q -r python/requirements-test.txt
    cp python/requirements-test.txt "$stamp"
  fi
  # The package itself, built from this checkout every time (maturin, in target/).
  "$venv/bin/pip" install -q --force-reinstall --no-deps ./python
}

need_mdbook() {
  # mdbook-linkcheck reads the book through mdbook 0.4's renderer interface.
  [[ "$(mdbook --version 2>/dev/null)" == "mdbook v0.4."* ]] ||
    cargo install mdbook --version "^0.4.52" --locked
  command -v mdbook-linkcheck >/dev/null || cargo install mdbook-linkcheck --version "^0.7.7" --locked
}

# The README's and the changelog's relative links (the book's own are mdbook-linkcheck's).
check_readme_links() {
  local file link broken=0
  for file in README.md CHANGELOG.md; do
    while read -r link; do
      [[ -e "${link%%#*}" ]] || { echo "$file: broken link $link"; broken=1; }
    done < <(grep -o '](\([^)#:]*\)[^)]*)' "$file" | sed 's/^](//; s/)$//')
  done
  return $broken
}

build_wasm() {
  need_rust_tools
  need_wasm_pack
  need_npm
  # wasm-pack takes the first wasm-opt on PATH: binaryen 132 from node_modules.
  # The main module decodes nothing (no `decode` feature): pages given as bytes go to
  # the decoder module, built from decode/ into pkg/decoder/ and loaded on demand
  # (`loadDecoder()`).
  wasm-pack build --target web --profile wasm-release -- --no-default-features --features panic-hook
  rm -rf pkg/decoder
  wasm-pack build decode --target web --profile wasm-release --out-dir ../pkg/decoder --no-pack
  rm -f pkg/decoder/.gitignore pkg/decoder/README.md
  node -e '
    const fs = require("fs");
    const file = "pkg/package.json";
    const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
    if (!pkg.files.includes("decoder")) pkg.files.push("decoder");
    fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + "\n");
  '
}
