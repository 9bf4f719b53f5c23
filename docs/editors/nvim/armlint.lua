-- armlint in Neovim: on-save lint into the quickfix list, and an nvim-lint
-- linter for diagnostics as you type. Put this in your config (init.lua or
-- a file under lua/), adjust, and keep compiler/armlint.vim on 'runtimepath'
-- for :make.

-- 1. :make with the compiler plugin, on every save of a JSON file.
vim.api.nvim_create_autocmd("BufWritePost", {
  pattern = "*.json",
  group = vim.api.nvim_create_augroup("armlint", { clear = true }),
  callback = function()
    vim.cmd("compiler armlint")
    vim.cmd("silent make! | cwindow")
  end,
})

-- 2. nvim-lint (https://github.com/mfussenegger/nvim-lint): the buffer is
-- piped to armlint on stdin, and --stdin-filename gives the real path so
-- that positions, .armlint.json and <name>.parameters.json resolve as for
-- the file on disk. Files that are not ARM templates produce nothing.
local ok, lint = pcall(require, "lint")
if ok then
  lint.linters.armlint = {
    cmd = "armlint",
    stdin = true,
    args = {
      "-f", "compact", "--no-color", "--skip-non-templates",
      "--stdin-filename", function() return vim.api.nvim_buf_get_name(0) end,
      "-",
    },
    stream = "stdout",
    ignore_exitcode = true, -- 1 means findings
    -- path:line:col: severity: message [ID rule-name]
    parser = require("lint.parser").from_pattern(
      "^(.-):(%d+):(%d+): (%a+): (.*)$",
      { "file", "lnum", "col", "severity", "message" },
      {
        error = vim.diagnostic.severity.ERROR,
        warning = vim.diagnostic.severity.WARN,
        note = vim.diagnostic.severity.INFO,
      },
      { source = "armlint" }
    ),
  }
  lint.linters_by_ft.json = { "armlint" }
  vim.api.nvim_create_autocmd({ "BufWritePost", "InsertLeave" }, {
    pattern = "*.json",
    callback = function() lint.try_lint("armlint") end,
  })
end
