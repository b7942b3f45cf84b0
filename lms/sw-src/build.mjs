// Builds lms/static/sw.js from sw.src.js with Workbox's injectManifest, and copies the Workbox
// runtime (production builds of the modules sw.src.js uses) to lms/static/workbox/.
// Run: cd lms/sw-src && npm ci && npm run build   (docs/offline.md)
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { injectManifest } from "workbox-build";

const here = dirname(fileURLToPath(import.meta.url));
const staticDir = join(here, "..", "static");
const runtimeDir = join(staticDir, "workbox");
const modules = ["sw", "core", "precaching", "routing", "strategies", "cacheable-response"];

// Same names as lms/web/static_assets.py: css/app.css → css/app.<sha256[:12]>.css.
function hashedUrl(file) {
  const digest = createHash("sha256").update(readFileSync(join(staticDir, file))).digest("hex");
  const slash = file.lastIndexOf("/") + 1;
  const name = file.slice(slash);
  const dot = name.lastIndexOf(".");
  const hashed = dot > 0 ? `${name.slice(0, dot)}.${digest.slice(0, 12)}${name.slice(dot)}` : `${name}.${digest.slice(0, 12)}`;
  return `/static/${file.slice(0, slash)}${hashed}`;
}

rmSync(runtimeDir, { recursive: true, force: true });
mkdirSync(runtimeDir);
for (const name of modules) {
  const build = join(here, "node_modules", `workbox-${name}`, "build");
  const file = readdirSync(build).find((f) => f === `workbox-${name}.prod.js` || f === "workbox-sw.js");
  copyFileSync(join(build, file), join(runtimeDir, file));
}

// Workbox is MIT-licensed: its licence travels with the copied files.
copyFileSync(join(here, "node_modules", "workbox-sw", "LICENSE"), join(runtimeDir, "LICENSE.txt"));

const { count, size, warnings } = await injectManifest({
  swSrc: join(here, "sw.src.js"),
  swDest: join(staticDir, "sw.js"),
  globDirectory: staticDir,
  globPatterns: ["css/*.css", "js/*.js", "*.svg", "icons/*.png"],
  globIgnores: ["sw.js", "workbox/**"],
  // The pages ask for the hashed names, which never change content: no revision needed.
  manifestTransforms: [
    async (entries) => ({
      manifest: entries.map((entry) => ({ url: hashedUrl(entry.url), revision: null })),
      warnings: [],
    }),
  ],
});
for (const warning of warnings) console.warn(warning);
console.log(`lms/static/sw.js: ${count} files precached (${size} bytes)`);
