local ctx = ...
local keys = {}
for k, v in pairs({b = 1, a = 2, [3] = 4}) do keys[#keys + 1] = tostring(k) .. tostring(v) end
print(table.concat(keys), tostring({}), string.format("%s", ipairs))
return nil
