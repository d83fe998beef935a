// Build the front-end assets into static/: GOV.UK Frontend compiled with our settings,
// its JavaScript and the few images we use. Only what the pages need is copied, never the
// whole npm dist folder.
import { compile, NodePackageImporter } from "sass";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");

const result = compile(join(root, "frontend", "scss", "app.scss"), {
  style: "compressed",
  sourceMap: false,
  quietDeps: true,
  silenceDeprecations: ["import"],
  importers: [new NodePackageImporter()],
});
mkdirSync(join(root, "static", "css"), { recursive: true });
writeFileSync(join(root, "static", "css", "app.css"), result.css);

const copies = [
  ["govuk-frontend.min.js", join("govuk", "govuk-frontend.min.js")],
  [join("assets", "images", "favicon.ico"), join("govuk", "assets", "images", "favicon.ico")],
];
for (const [from, to] of copies) {
  mkdirSync(dirname(join(root, "static", to)), { recursive: true });
  copyFileSync(join(govuk, from), join(root, "static", to));
}
console.log(`Built static/css/app.css (${result.css.length} bytes) and copied ${copies.length} files.`);
