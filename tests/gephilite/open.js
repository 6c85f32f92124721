// Open an export as Gephi Lite does (graphology-graphml / graphology-gexf) and print what it got.
const fs = require("fs");
const Graph = require("graphology");
const [fmt, path] = process.argv.slice(2);
const text = fs.readFileSync(path, "utf-8");
const lib = fmt === "gexf" ? require("graphology-gexf") : require("graphology-graphml");
const g = lib.parse(Graph, text);
const types = (a) => Object.fromEntries(Object.entries(a).map(([k, v]) => [k, typeof v]));
const out = {type: g.type, multi: g.multi, order: g.order, size: g.size, nodes: {}, edges: []};
g.forEachNode((n, a) => { out.nodes[n] = {attrs: a, types: types(a)}; });
g.forEachEdge((e, a, s, t) => { out.edges.push({source: s, target: t, attrs: a, types: types(a)}); });
process.stdout.write(JSON.stringify(out));
