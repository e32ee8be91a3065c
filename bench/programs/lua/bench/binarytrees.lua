-- The binary-trees benchmark (allocation and garbage collection of many small tables).
local function bottomUp(depth)
  if depth == 0 then return {} end
  depth = depth - 1
  return { bottomUp(depth), bottomUp(depth) }
end
local function check(tree)
  if tree[1] then return 1 + check(tree[1]) + check(tree[2]) end
  return 1
end
local N = tonumber(arg and arg[1]) or 15
local mindepth, maxdepth = 4, math.max(6, N)
print(string.format("stretch tree of depth %d\t check: %d", maxdepth + 1, check(bottomUp(maxdepth + 1))))
local longlived = bottomUp(maxdepth)
for depth = mindepth, maxdepth, 2 do
  local iterations = 2 ^ (maxdepth - depth + mindepth)
  local total = 0
  for _ = 1, iterations do total = total + check(bottomUp(depth)) end
  print(string.format("%d\t trees of depth %d\t check: %d", iterations, depth, total))
end
print(string.format("long lived tree of depth %d\t check: %d", maxdepth, check(longlived)))
