// Every ```mermaid block of the Markdown files named on the command line,
// parsed by Mermaid's own parser (mermaid.parse), as a renderer would
// parse it: one line per block that does not parse, "FILE:LINE: error",
// and exit status 1 if there is any. tools/check-docs runs it from the
// directory tools/mermaid-setup installed Mermaid into.
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';

// Mermaid reaches for a DOM as it loads (DOMPurify): a bare one will do.
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');

let failed = 0;
let blocks = 0;
for (const file of process.argv.slice(2)) {
    const lines = readFileSync(file, 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
        if (lines[i].trim() !== '```mermaid')
            continue;
        const start = i + 1;
        const body = [];
        for (i++; i < lines.length && !lines[i].startsWith('```'); i++)
            body.push(lines[i]);
        blocks++;
        try {
            await mermaid.parse(body.join('\n'));
        } catch (e) {
            const msg = String(e.message || e).split('\n').join(' ').replace(/\s+/g, ' ');
            console.error(`${file}:${start}: ${msg}`);
            failed++;
        }
    }
}
console.log(`mermaid: ${blocks} diagrams, ${failed} that do not parse`);
process.exit(failed ? 1 : 0);
