// Bundles src/main.ts and static/style.css with esbuild into a few content-hashed files and
// writes index.html pointing at them. Hashed names let a browser cache a file forever and still
// pick up a new build at once; index.html is the one file that is never hashed.
// Usage: node build.mjs OUT_DIR
import { build } from "esbuild";
import { mkdirSync, readFileSync, rmSync, writeFileSync, cpSync, statSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2];
if (!out) {
  console.error("usage: node build.mjs OUT_DIR");
  process.exit(2);
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const result = await build({
  absWorkingDir: here,
  entryPoints: [
    { in: "src/main.ts", out: "js/main" },
    { in: "static/style.css", out: "css/style" },
  ],
  bundle: true,
  format: "esm",
  target: "es2022",
  minify: true,
  sourcemap: false,
  // Code shared by lazily imported views lands in hashed chunks beside main.
  splitting: true,
  entryNames: "[dir]/[name]-[hash]",
  chunkNames: "js/chunk-[hash]",
  outdir: out,
  metafile: true,
  legalComments: "linked",
  logLevel: "warning",
  // Nothing at run time may come from elsewhere: an import that is not bundled fails the build.
  external: [],
});

const outputs = Object.entries(result.metafile.outputs);
const entry = (name) => {
  const found = outputs.find(([, meta]) => meta.entryPoint === name);
  if (!found) throw new Error(`esbuild produced no output for ${name}`);
  return found[0];
};
const served = (file) => relative(out, join(here, file)).split("\\").join("/");
const mainJs = served(entry("src/main.ts"));
const styleCss = served(entry("static/style.css"));

const template = readFileSync(join(here, "static/index.html"), "utf8");
for (const marker of ["%MAIN_JS%", "%STYLE_CSS%"]) {
  if (!template.includes(marker)) throw new Error(`static/index.html lacks ${marker}`);
}
writeFileSync(
  join(out, "index.html"),
  template.replace("%MAIN_JS%", mainJs).replace("%STYLE_CSS%", styleCss),
);

// What a benchmark or a reviewer wants to know without unpacking the jar.
const sizes = Object.fromEntries(
  outputs.map(([file]) => [served(file), statSync(join(here, file)).size]),
);
// What the page loads before it shows anything: main, its static imports, the style sheet.
// Dynamically imported chunks (Java and Markdown editing) load on first use.
const initial = new Set([styleCss]);
const visit = (file) => {
  if (initial.has(served(file))) return;
  initial.add(served(file));
  for (const i of result.metafile.outputs[file].imports) if (i.kind === "import-statement" && !i.external) visit(i.path);
};
visit(entry("src/main.ts"));
const initialBytes = [...initial].reduce((a, f) => a + sizes[f], 0);
writeFileSync(
  join(out, "build-manifest.json"),
  JSON.stringify({ main: mainJs, style: styleCss, initial: [...initial], initialBytes, sizes }, null, 2) + "\n",
);
const total = Object.values(sizes).reduce((a, b) => a + b, 0);
console.log(
  `web: ${Object.keys(sizes).length} files, ${(total / 1024).toFixed(0)} KiB, ${(initialBytes / 1024).toFixed(0)} KiB loaded up front (${basename(mainJs)})`,
);
