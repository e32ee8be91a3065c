-- String building and the string library: concat, format, rep, gsub, find, byte/char, upper.
local n = tonumber(arg and arg[1]) or 200000
local parts = {}
for i = 1, n do parts[i] = string.format("%d:%x:%s", i, i * 7, (i % 3 == 0) and "fizz" or "buzz") end
local s = table.concat(parts, ",")
local count = 0
for word in s:gmatch("fizz") do count = count + 1 end
local replaced, k = s:gsub("(%d+):(%x+)", "%2-%1")
local h = 0
for i = 1, #replaced, 7 do h = (h * 31 + replaced:byte(i)) % 4294967296 end
local up = replaced:sub(1, 100000):upper()
local pos, found = 1, 0
while true do
  local a, b = up:find("BUZZ", pos, true)
  if not a then break end
  found = found + 1; pos = b + 1
end
print(string.format("len %d fizz %d subst %d hash %d upper-buzz %d rep %d", #s, count, k, h, found, #string.rep("ab", 100000, "-")))
