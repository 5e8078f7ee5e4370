-- warraq: read each text of a JSON list (stdin) as Pandoc's Markdown; write a JSON list
-- of {doc, explicit, log}: the document's AST, each header's id as written ("" when
-- Pandoc made it: the text is read once more without auto_identifiers), and what
-- Pandoc's reader warned of (an unused note, with its line). The reader runs sandboxed
-- (an empty list of files it may read); nothing is fetched.
local texts = pandoc.json.decode(io.read("a"), false)
local function header_ids(doc)
  local ids = {}
  doc:walk({Header = function(h) ids[#ids + 1] = h.identifier end})
  return ids
end
local out = {}
for i, text in ipairs(texts) do
  local seen = #PANDOC_STATE.log
  local doc = pandoc.read(text, "markdown", {}, {})
  local log = {}
  for j = seen + 1, #PANDOC_STATE.log do
    local m = pandoc.json.decode(pandoc.json.encode(PANDOC_STATE.log[j]))
    log[#log + 1] = {type = m.type, key = m.key or "", line = m.line or 0}
  end
  local plain = pandoc.read(text, "markdown-auto_identifiers", {}, {})
  out[i] = '{"doc":' .. pandoc.write(doc, "json") .. ',"explicit":'
    .. pandoc.json.encode(header_ids(plain)) .. ',"log":'
    .. pandoc.json.encode(log) .. '}'
end
io.write("[" .. table.concat(out, ",") .. "]")
