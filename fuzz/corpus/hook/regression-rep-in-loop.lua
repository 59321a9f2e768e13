local t = {}
for i = 1, 1e8 do t[i] =A string.rep("x", i) end
