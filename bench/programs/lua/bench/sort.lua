-- table.sort of pseudo-random numbers (a linear congruential generator, so every run sorts the
-- same data), with the default order and with a comparison function; strings too.
local n = tonumber(arg and arg[1]) or 200000
local seed = 42
local function rand() seed = (seed * 1103515245 + 12345) % 2147483648; return seed end
local a, b, c = {}, {}, {}
for i = 1, n do local r = rand(); a[i] = r; b[i] = r; c[i] = string.format("%08x", r) end
table.sort(a)
table.sort(b, function(x, y) return x > y end)
table.sort(c)
for i = 2, n do assert(a[i - 1] <= a[i] and b[i - 1] >= b[i] and c[i - 1] <= c[i]) end
local h = 0
for i = 1, n, 97 do h = (h + a[i] * i) % 1000000007 end
print(string.format("sorted %d: min %d max %d median %d hash %d first-string %s", n, a[1], a[n], a[n // 2], h, c[1]))
