// termbook inside Pyodide under Node, offline: the Python side of tests/excel/test_pyodide.py and
// bench/bench_pyodide.py.
//
//   node run.mjs WHEELS_DIR ANSWERS_PY OUT_JSON [BENCH_ROWS]
//
// Starts Pyodide from the npm package in node_modules (nothing from a CDN: any http(s) fetch
// throws), loads micropip and packaging from their wheels in WHEELS_DIR, installs every other
// wheel there with micropip (deps=False: micropip would report success for a dependency it failed
// to fetch), imports the functions as xlwings Lite does (`from udfs.xlfuncs import *`, Office.js
// decorators), then writes to OUT_JSON the answers of ANSWERS_PY's collect() and the times taken.
// With BENCH_ROWS, it also times one LSA_CAPACITY call over that many dates.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";

const [wheelsDir, answersPy, outJson, benchRows] = process.argv.slice(2);
if (!outJson) {
  console.error("usage: node run.mjs WHEELS_DIR ANSWERS_PY OUT_JSON [BENCH_ROWS]");
  process.exit(2);
}

const realFetch = globalThis.fetch;
globalThis.fetch = (url, ...rest) => {
  if (/^https?:/i.test(String(url))) throw new Error(`offline test: refused to fetch ${url}`);
  return realFetch(url, ...rest);
};

const require = createRequire(import.meta.url);
const { loadPyodide } = await import("pyodide");
const times = {};
let t = performance.now();
const lap = (name) => { const now = performance.now(); times[name] = (now - t) / 1000; t = now; };

const indexURL = dirname(require.resolve("pyodide/package.json")) + "/";
const pyodide = await loadPyodide({ indexURL, stdout: (s) => console.error(s), stderr: (s) => console.error(s) });
lap("start pyodide");

const wheels = readdirSync(wheelsDir).filter((f) => f.endsWith(".whl")).sort();
pyodide.FS.mkdirTree("/wheels");
for (const name of wheels) pyodide.FS.writeFile(`/wheels/${name}`, new Uint8Array(readFileSync(resolve(wheelsDir, name))));
const boot = wheels.filter((f) => /^(micropip|packaging)-/.test(f));
if (boot.length !== 2) throw new Error(`micropip and packaging wheels needed in ${wheelsDir}; found ${boot}`);
// micropip itself: unpacked into site-packages (loadPackage would look for it beside pyodide.mjs)
for (const name of boot) pyodide.unpackArchive(new Uint8Array(readFileSync(resolve(wheelsDir, name))), "wheel");
const micropip = pyodide.pyimport("micropip");
for (const name of wheels.filter((f) => !boot.includes(f))) {
  await micropip.install.callKwargs(`emfs:/wheels/${name}`, { deps: false });
}
lap("install wheels");

pyodide.FS.writeFile("/home/pyodide/answers.py", readFileSync(answersPy));
// One call whose cells come from JavaScript, as the add-in's do: an empty cell is JS null, which
// Pyodide hands to Python as JsNull (not None). 2002-11-14, empty, 2002-11-15, with both deliveries.
const fromJs = { dates: [[37574], [null], [37575]],
  events: [["keltic_due_diligence", 37574], [null, null], ["third_party_confirmation", 37575]] };
pyodide.globals.set("from_js", pyodide.toPy(fromJs));
const result = await pyodide.runPythonAsync(`
import json, sys
sys.path.insert(0, "/home/pyodide")
import answers
times = await answers.timings(${Number(benchRows || 0)})  # first: it times the first import
for module in ("xlsxwriter", "openpyxl", "et_xmlfile", "xlwings", "udfs", "workbook"):
    __import__(module)  # installed, not just reported installed
from udfs.xlfuncs import *  # noqa: F403  -- the line of a Lite workbook's main.py
out = await answers.collect()
out["numpy imported"] = repr("numpy" in sys.modules)
import udfs.xlfuncs, xlwings.server
empty = type(from_js["dates"][1][0]).__name__
call = answers._body("LSA_MAX_LIMIT", [from_js["dates"], from_js["events"]])
out["officejs cells from JavaScript"] = f"{empty}: " + repr(await xlwings.server.custom_functions_call(call, udfs.xlfuncs))
# Lite keeps the deal cache on (no TERMBOOK_CACHE_DIR): a deal read is stored, then taken back
import contextlib, io, os
from udfs.deal import cache as deal_cache
from udfs.loading import deal_file as deal_mod
os.environ["TERMBOOK_CACHE_DIR"] = "/tmp/termbook-cache"
data, path = deal_mod._embedded_bytes(), "seeds/" + deal_mod.DEFAULT_DEAL_FILE
first = deal_mod.parse_deal(data, path)
cached = deal_cache.load(data, path)
out["deal cache"] = f"stored: {cached is not None}, same deal: {cached is not None and cached.content_hash == first.content_hash}"
printed = io.StringIO()
with contextlib.redirect_stdout(printed):
    from udfs.terminal import main as cli
    code = cli.main(["eval", "LSA_MAX_LIMIT", "2002-11-22", "--json"])
out["terminal"] = f"exit {code}: {printed.getvalue().strip()}"
json.dumps({"answers": out, "times": times, "python": sys.version.split()[0]})
`);
lap("python");
const data = JSON.parse(result);
Object.assign(times, data.times);
writeFileSync(outJson, JSON.stringify({ answers: data.answers, times, python: data.python,
  pyodide: pyodide.version, wheels: wheels.map((f) => basename(f)) }));
