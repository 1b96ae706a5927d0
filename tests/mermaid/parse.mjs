// Parse Mermaid flowcharts from stdin (a JSON list of texts) with Mermaid's
// own parser and print a JSON list of their nodes and edges; exit 1 with the
// parser's message on the first error.
import fs from "node:fs";
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!DOCTYPE html><body></body>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });

// What a browser shows: Mermaid's entity placeholders (#quot; and the like)
// turned back into characters, as its renderer does.
function shown(label) {
  const html = label.replace(/ﬂ°°/g, "&#").replace(/ﬂ°/g, "&").replace(/¶ß/g, ";");
  const area = document.createElement("textarea");
  area.innerHTML = html;
  return area.value;
}

async function parse(text) {
  await mermaid.parse(text);
  const { db } = await mermaid.mermaidAPI.getDiagramFromText(text);
  const vertices = db.getVertices();
  const entries = vertices instanceof Map ? [...vertices] : Object.entries(vertices);
  const nodes = entries.map(([id, node]) => ({ id, text: shown(node.text), shape: node.type }));
  const edges = db.getEdges().map((e) => ({
    source: e.start,
    target: e.end,
    text: shown(e.text),
    stroke: e.stroke,
  }));
  return { nodes, edges };
}

const texts = JSON.parse(fs.readFileSync(0, "utf8"));
try {
  const results = [];
  for (const text of texts) results.push(await parse(text));
  console.log(JSON.stringify(results));
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
