-- Drives `throughline lsp` from a real Neovim (0.7 or later), headless, and writes what it
-- saw to the file named by $OUT: a misspelled status flagged at its range, the quick fix
-- offered, completion of outcome ids and hover on a field.
--
--   THROUGHLINE=target/release/throughline REPORT=$PWD OUT=/tmp/nvim-lsp.txt \
--     nvim --headless -u NONE -c 'luafile editors/neovim/check.lua'
--
-- REPORT is a copy of a report (the file edited is the first roadmap item; nothing is
-- saved). Not run by `cargo test`: it needs Neovim installed.
local root = os.getenv('REPORT')
local out = {}
local function log(s) table.insert(out, s) end
local item = vim.fn.globpath(root .. '/content/roadmap', '*.md', false, true)[1]
local client_id = vim.lsp.start_client({
  cmd = { os.getenv('THROUGHLINE'), 'lsp' },
  root_dir = root,
  name = 'throughline',
})
vim.cmd('edit ' .. vim.fn.fnameescape(item))
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, client_id)
local client = vim.lsp.get_client_by_id(client_id)
local doc = { uri = vim.uri_from_bufnr(buf) }
vim.wait(2000, function() return client.initialized end, 20)

local status_line
for i, l in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
  if l:match('^status:') then
    status_line = i - 1
    vim.api.nvim_buf_set_lines(buf, status_line, status_line + 1, false, { 'status: shiped' })
    break
  end
end
vim.wait(3000, function() return #vim.diagnostic.get(buf) > 0 end, 20)
for _, d in ipairs(vim.diagnostic.get(buf)) do
  log(string.format('diagnostic %d:%d-%d %s', d.lnum, d.col, d.end_col, d.message))
end
local context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(buf, status_line) }
local range = { start = { line = status_line, character = 8 }, ['end'] = { line = status_line, character = 14 } }
local actions = client.request_sync('textDocument/codeAction',
  { textDocument = doc, range = range, context = context }, 3000, buf)
for _, a in ipairs(actions and actions.result or {}) do
  log('quick fix: ' .. a.title)
end
local hover = client.request_sync('textDocument/hover',
  { textDocument = doc, position = { line = status_line, character = 1 } }, 3000, buf)
log('hover: ' .. ((hover and hover.result and hover.result.contents.value) or 'none'):gsub('\n', ' '))
vim.api.nvim_buf_set_lines(buf, 1, 1, false, { 'outcomes: [' })
vim.wait(100)
local completion = client.request_sync('textDocument/completion',
  { textDocument = doc, position = { line = 1, character = 11 } }, 3000, buf)
local items = completion and completion.result or {}
items = items.items or items
local labels = {}
for _, c in ipairs(items) do table.insert(labels, c.label) end
log('completion: ' .. table.concat(labels, ' '))
vim.fn.writefile(out, os.getenv('OUT'))
vim.cmd('qa!')
