-- warraq: write each JSON AST of a JSON list (stdin) as an HTML5 fragment, math as
-- MathML, code without highlighting, each line as the author broke it (never wrapped:
-- the conventions read a paragraph's lines); a JSON list of strings out.
local docs = pandoc.json.decode(io.read("a"), false)
local opts = {html_math_method = "mathml", highlight_method = "none", wrap_text = "preserve"}
local out = {}
for i, doc in ipairs(docs) do
  out[i] = pandoc.write(pandoc.read(doc, "json", {}, {}), "html5", opts)
end
io.write(pandoc.json.encode(out))
