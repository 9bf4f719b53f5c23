" Vim/Neovim compiler plugin for armlint (https://github.com/armlint/armlint).
" Copy this file to ~/.config/nvim/compiler/armlint.vim (Vim: ~/.vim/compiler/)
" or add docs/editors/nvim to 'runtimepath', then `:compiler armlint` and `:make`.
" The compact format prints one finding per line:
"   path:line:col: severity: message [ID rule-name]
if exists('current_compiler')
  finish
endif
let current_compiler = 'armlint'

if exists(':CompilerSet') != 2
  command -nargs=* CompilerSet setlocal <args>
endif

" Lint the current file; config (.armlint.json) and <name>.parameters.json
" are found from the file's own directory.
CompilerSet makeprg=armlint\ -f\ compact\ --no-color\ %:S
" %t takes the first letter of the severity: e(rror), w(arning), n(ote).
" Anything else armlint prints (a summary on stderr, usage errors) is dropped.
CompilerSet errorformat=%f:%l:%c:\ %t%*[a-z]:\ %m,%-G%.%#
