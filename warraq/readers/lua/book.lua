-- warraq: one Pandoc process for a book. Each line of stdin is a JSON request and gets
-- one line of JSON back (warraq.readers.pandoc.Session):
--
-- {"read": items}: each item {markdown = text} is read as Pandoc's Markdown, {docx =
-- file} as a Word file of this (Pandoc's own, otherwise empty) folder; the answer is
-- {items}, a list of {doc, explicit, log, media, error}: the document's AST, each header's id as
-- written ("" when Pandoc made it: a text with a `{` is read once more without
-- auto_identifiers), what Pandoc's reader warned of (an unused note, with its line),
-- and for a Word file its images, each left here as media-<item>-<n> ({path, file}),
-- or why it could not be read. With `cite` (see `cite` below) the citations are
-- processed: the answer is then {items, cite = {missing, bibliography} or {error}}.
--
-- {"write": docs}: each JSON AST is written as an HTML5 fragment, math as MathML, code
-- without highlighting, each line as the author broke it (never wrapped: the
-- conventions read a paragraph's lines); the answer is a list of strings.
--
-- Readers run sandboxed (an empty list of files they may read); nothing is fetched.
local function header_ids(doc)
  local ids = {}
  doc:walk({Header = function(h) ids[#ids + 1] = h.identifier end})
  return ids
end

-- Word marks direction on runs and paragraphs (warraq finds Arabic by its script, as in
-- Markdown), and has no tight lists: a span or div with nothing but `dir` is its
-- content, and a list item of one paragraph is plain, as Markdown's tight lists are.
local function only_dir(el)
  local n = 0
  for _ in pairs(el.attributes) do n = n + 1 end
  return el.identifier == "" and #el.classes == 0 and n == 1 and el.attributes.dir
end
local function tight(list)
  for _, item in ipairs(list.content) do
    if #item == 1 and item[1].t == "Para" then item[1] = pandoc.Plain(item[1].content) end
  end
  return list
end
local WORD = {Span = function(s) if only_dir(s) then return s.content end end,
              Div = function(d) if only_dir(d) then return d.content end end,
              BulletList = tight, OrderedList = tight}

local function markdown(text)
  local seen = #PANDOC_STATE.log
  local doc = pandoc.read(text, "markdown", {}, {})
  local log = {}
  for j = seen + 1, #PANDOC_STATE.log do
    local m = pandoc.json.decode(pandoc.json.encode(PANDOC_STATE.log[j]))
    log[#log + 1] = {type = m.type, key = m.key or "", line = m.line or 0}
  end
  local explicit = header_ids(doc)
  if text:find("{", 1, true) then       -- an id is written {#id}: read it again to see
    explicit = header_ids(pandoc.read(text, "markdown-auto_identifiers", {}, {}))
  else
    for n in ipairs(explicit) do explicit[n] = "" end
  end
  return doc, {explicit = explicit, log = log}
end

local function docx(i, file)
  local handle = io.open(file, "rb")
  local bytes = handle:read("a")
  handle:close()
  pandoc.mediabag.empty()
  local ok, doc = pcall(pandoc.read, bytes, "docx", {}, {})
  if not ok then
    return pandoc.Pandoc({}), {error = tostring(doc)}
  end
  doc = doc:walk(WORD)
  local media = {}
  for path, _mime, contents in pandoc.mediabag.items() do
    local name = "media-" .. i .. "-" .. (#media + 1)
    local out = io.open(name, "wb")
    out:write(contents)
    out:close()
    media[#media + 1] = {path = path, file = name}
  end
  pandoc.mediabag.empty()
  local explicit = {}
  for n in ipairs(header_ids(doc)) do explicit[n] = "" end    -- Word's ids are Pandoc's
  return doc, {explicit = explicit, log = {}, media = media}
end

-- Citations (a request's `cite`: {bibliography = file, csl = file or nil, lang}): the
-- documents are put one after another in one (each a Div), citeproc run once on it
-- (one bibliography, notes and numbers counted through the book), and split again.
-- The answer: each document's keys with no entry, and the bibliography's blocks.
local function cite(docs, how)
  local blocks, known, missing = {}, {}, {}
  for i, doc in ipairs(docs) do
    blocks[#blocks + 1] = pandoc.Div(doc.blocks, {id = "warraq-doc-" .. i})
  end
  local meta = {bibliography = how.bibliography, lang = how.lang}
  if how.csl then meta.csl = how.csl end
  local whole = pandoc.Pandoc(blocks, meta)
  local ok, refs = pcall(pandoc.utils.references, whole)
  if not ok then return {error = tostring(refs)} end
  for _, ref in ipairs(refs) do known[ref.id] = true end
  for i, doc in ipairs(docs) do
    local keys, seen = {}, {}
    doc:walk({Cite = function(c)
      for _, one in ipairs(c.citations) do
        local id = one.id
        if not known[id] and id ~= "*" and not seen[id] then
          seen[id] = true
          keys[#keys + 1] = id
        end
      end
    end})
    missing[i] = keys
  end
  local done
  ok, done = pcall(pandoc.utils.citeproc, whole)
  if not ok then return {error = tostring(done)} end
  local bibliography = {}
  for _, block in ipairs(done.blocks) do
    local n = block.t == "Div" and block.identifier:match("^warraq%-doc%-(%d+)$")
    if n then
      docs[tonumber(n)].blocks = block.content
    else
      bibliography[#bibliography + 1] = block
    end
  end
  return {missing = missing,
          bibliography = pandoc.Pandoc(bibliography)}
end

local function read(request)
  local docs, out = {}, {}
  for i, item in ipairs(request.read) do
    if item.docx then
      docs[i], out[i] = docx(i, item.docx)
    else
      docs[i], out[i] = markdown(item.markdown)
    end
  end
  local cited = request.cite and cite(docs, request.cite) or nil
  for i, doc in ipairs(docs) do
    out[i].doc = doc
  end
  return pandoc.json.encode({items = out, cite = cited})
end

local HTML = {html_math_method = "mathml", highlight_method = "none", wrap_text = "preserve"}
local function write(docs)
  local out = {}
  for i, doc in ipairs(docs) do
    out[i] = pandoc.write(pandoc.read(doc, "json", {}, {}), "html5", HTML)
  end
  return pandoc.json.encode(out)
end

for line in io.lines() do
  local request = pandoc.json.decode(line, false)
  io.write(request.read and read(request) or write(request.write), "\n")
  io.stdout:flush()
end
