return {amount = civ.money(1) / 3, reason = {code = "T", zh = "t", en = "t"}}
