"""English and Chinese of the demo products' materials, packaging and storage texts.

``demo_data`` gives a product these where it has an English (or Chinese) name already: a
product not yet translated at all stays so, and shows up as "Chinese texts incomplete".
"""

# Indonesian text → (English, Simplified Chinese)
TEXTS = {
    # --- materials ---
    "Drum baja bekas 200 L, cat epoksi, kanvas, busa": (
        "Used 200 L steel drums, epoxy paint, canvas, foam",
        "回收200升钢桶、环氧漆、帆布、海绵",
    ),
    "Drum baja bekas 200 L, busa, kanvas, cat epoksi": (
        "Used 200 L steel drums, foam, canvas, epoxy paint",
        "回收200升钢桶、海绵、帆布、环氧漆",
    ),
    "Drum baja bekas, kaca tempered 8 mm": (
        "Used steel drums, 8 mm tempered glass",
        "回收钢桶、8毫米钢化玻璃",
    ),
    "Tutup drum baja, besi hollow, cat epoksi": (
        "Steel drum lids, hollow steel sections, epoxy paint",
        "钢桶桶盖、方管钢材、环氧漆",
    ),
    "Drum baja bekas 200 L, engsel, rak pelat besi": (
        "Used 200 L steel drums, hinges, steel-plate shelves",
        "回收200升钢桶、合页、钢板隔层",
    ),
    "Biji kopi robusta Jember": ("Jember robusta coffee beans", "任抹罗布斯塔咖啡豆"),
    "Pisang kepok, minyak kelapa sawit, cokelat, gula": (
        "Kepok bananas, palm oil, chocolate, sugar",
        "克博香蕉、棕榈油、巧克力、糖",
    ),
    "Kayu mahoni, finishing food-grade": (
        "Mahogany, food-grade finish",
        "桃花心木，食品级涂层",
    ),
    "Tembakau Besuki Na-Oogst": ("Besuki Na-Oogst tobacco", "贝苏基NO（Na-Oogst）烟叶"),
    "Daun tembakau": ("Tobacco leaf", "烟叶"),
    "Tembakau Besuki rakyat": ("Smallholder Besuki tobacco", "贝苏基农户种植烟叶"),
    "Tape singkong, gula pasir, perisa": (
        "Fermented cassava, sugar, flavouring",
        "发酵木薯、白砂糖、食用香精",
    ),
    "Tape singkong, telur, tepung, mentega, keju": (
        "Fermented cassava, eggs, flour, butter, cheese",
        "发酵木薯、鸡蛋、面粉、黄油、奶酪",
    ),
    "Tape singkong, tepung ketan, gula, santan": (
        "Fermented cassava, glutinous rice flour, sugar, coconut milk",
        "发酵木薯、糯米粉、糖、椰浆",
    ),
    "Edamame (kedelai sayur)": ("Edamame (green soybeans)", "毛豆（菜用大豆）"),
    "Edamame": ("Edamame", "毛豆"),
    "Edamame, garam, bumbu balado": (
        "Edamame, salt, balado chilli seasoning",
        "毛豆、盐、巴拉多辣椒调料",
    ),
    "Biji kopi robusta": ("Robusta coffee beans", "罗布斯塔咖啡豆"),
    "Katun primisima, malam, pewarna alam": (
        "Primissima cotton, wax, natural dyes",
        "特级棉布、蜡、天然染料",
    ),
    "Katun primisima, malam, pewarna indigo dan soga": (
        "Primissima cotton, wax, indigo and soga dyes",
        "特级棉布、蜡、靛蓝与索加天然染料",
    ),
    "Katun": ("Cotton", "棉"),
    "Sutra, malam, pewarna sintetis": ("Silk, wax, synthetic dyes", "真丝、蜡、合成染料"),
    "Buah naga merah": ("Red dragon fruit", "红心火龙果"),
    "Buah naga, minyak nabati": ("Dragon fruit, vegetable oil", "火龙果、植物油"),
    "Biji kopi arabika": ("Arabica coffee beans", "阿拉比卡咖啡豆"),
    "Kopi arabika bubuk": ("Ground arabica coffee", "阿拉比卡咖啡粉"),
    "Bambu apus, pernis berbasis air": (
        "Apus bamboo, water-based varnish",
        "阿普斯竹、水性清漆",
    ),
    "Bambu": ("Bamboo", "竹"),
    "Madu hutan": ("Wild forest honey", "野生森林蜂蜜"),
    "Singkong, ragi": ("Cassava, yeast starter", "木薯、酒曲"),
    "Tepung terigu, tape singkong, gula, margarin": (
        "Wheat flour, fermented cassava, sugar, margarine",
        "小麦粉、发酵木薯、糖、人造黄油",
    ),
    "Nira aren": ("Arenga palm sap", "砂糖椰子花汁"),
    "Katun primisima, malam, pewarna sintetis": (
        "Primissima cotton, wax, synthetic dyes",
        "特级棉布、蜡、合成染料",
    ),
    "Kayu jati": ("Teak", "柚木"),
    "Kayu pule, cat akrilik": ("Pule wood, acrylic paint", "糖胶树木、丙烯颜料"),
    "Ikan tenggiri, tepung tapioka, bawang putih, garam": (
        "Spanish mackerel, tapioca starch, garlic, salt",
        "马鲛鱼、木薯淀粉、大蒜、盐",
    ),
    "Katun, malam, pewarna alam": ("Cotton, wax, natural dyes", "棉布、蜡、天然染料"),
    "Pisang agung, minyak kelapa, gula": (
        "Agung bananas, coconut oil, sugar",
        "阿贡大蕉、椰子油、糖",
    ),
    "Pisang agung": ("Agung bananas", "阿贡大蕉"),
    "Daun nilam": ("Patchouli leaves", "广藿香叶"),
    "Daun serai wangi": ("Citronella leaves", "香茅叶"),
    "Tanah liat, glasir": ("Clay, glaze", "陶土、釉料"),
    "Tanah liat": ("Clay", "陶土"),
    "Rotan alami": ("Natural rattan", "天然藤条"),
    "Rotan, kulit rotan": ("Rattan, rattan peel", "藤条、藤皮"),
    "Kanvas katun 12 oz, kain batik cap": (
        "12 oz cotton canvas, stamped batik cloth",
        "12盎司棉帆布、铜印蜡染布",
    ),
    "Kain tenun, ritsleting": ("Hand-woven cloth, zip", "手工织布、拉链"),
    "Mangga, tepung ketan, gula": (
        "Mango, glutinous rice flour, sugar",
        "芒果、糯米粉、糖",
    ),
    "Ketan hitam, ragi, gula, santan": (
        "Black glutinous rice, yeast starter, sugar, coconut milk",
        "黑糯米、酒曲、糖、椰浆",
    ),
    "Mangga arum manis": ("Arumanis mango", "阿鲁玛尼斯芒果"),
    # --- packaging ---
    "Bubble wrap, pelindung sudut karton, peti kayu pinus bertanda ISPM-15.": (
        "Bubble wrap, cardboard corner protectors, ISPM-15 marked pine crate.",
        "气泡膜、纸质护角，外装带ISPM-15标识的松木箱。",
    ),
    "Bubble wrap dan karton lima lapis.": (
        "Bubble wrap and five-ply carton.",
        "气泡膜加五层瓦楞纸箱。",
    ),
    "Plastik wrap saja; kaca dikemas terpisah tanpa pelindung.": (
        "Plastic wrap only; the glass is packed separately without protection.",
        "仅用塑料膜缠绕；玻璃单独包装，无防护。",
    ),
    "Standing pouch aluminium foil dengan katup satu arah.": (
        "Aluminium-foil stand-up pouch with one-way valve.",
        "带单向排气阀的铝箔自立袋。",
    ),
    "Plastik PP dengan sablon, ditutup seal panas.": (
        "Screen-printed PP bag, heat-sealed.",
        "丝印PP塑料袋，热封口。",
    ),
    "Kotak kayu cedar tipis, segel, karton ekspor berisi 20 kotak.": (
        "Thin cedar-wood box, sealed; export carton of 20 boxes.",
        "薄雪松木盒，带封签；出口纸箱每箱装20盒。",
    ),
    "Kotak kayu cedar, segel.": ("Cedar-wood box, sealed.", "雪松木盒，带封签。"),
    "Bal 50 kg dibungkus tikar pandan dan goni.": (
        "50 kg bales wrapped in pandan matting and jute.",
        "每捆50公斤，外裹露兜草席和黄麻布。",
    ),
    "Plastik klip dalam kotak karton polos.": (
        "Zip bags in a plain carton.",
        "自封袋装，外装素面纸盒。",
    ),
    "Kertas minyak dan mika plastik, tanpa kode produksi.": (
        "Greaseproof paper and plastic tray, no production code.",
        "防油纸加塑料盒，无生产批号。",
    ),
    "Kotak karton dengan jendela plastik.": (
        "Carton box with a plastic window.",
        "带透明开窗的纸盒。",
    ),
    "Plastik bening diikat karet.": (
        "Clear plastic bag tied with a rubber band.",
        "透明塑料袋，橡皮筋扎口。",
    ),
    "Kantong PE 500 g dalam karton berlapis lilin, 10 kg per karton.": (
        "500 g PE bags in waxed cartons, 10 kg per carton.",
        "500克PE袋装，外装涂蜡纸箱，每箱10公斤。",
    ),
    "Keranjang plastik berlubang.": ("Perforated plastic crates.", "带孔塑料筐。"),
    "Standing pouch metalized dengan zip.": (
        "Metallised stand-up pouch with zip.",
        "镀铝自立拉链袋。",
    ),
    "Karung goni 60 kg dengan kantong dalam hermetis.": (
        "60 kg jute sacks with hermetic inner bags.",
        "60公斤麻袋，内衬密封袋。",
    ),
    "Kantong kraft dengan katup.": ("Kraft bag with valve.", "带排气阀的牛皮纸袋。"),
    "Dilipat, plastik OPP, kotak karton.": (
        "Folded, OPP bag, carton box.",
        "折叠后装OPP袋，外装纸盒。",
    ),
    "Kotak karton kaku berlogo, kertas tisu bebas asam, plastik OPP.": (
        "Rigid branded gift box, acid-free tissue paper, OPP bag.",
        "印有品牌标志的硬纸礼盒、无酸薄页纸、OPP袋。",
    ),
    "Plastik OPP per potong.": ("Each piece in an OPP bag.", "每件单独装OPP袋。"),
    "Karton berventilasi 10 kg dengan jaring busa per buah.": (
        "Ventilated 10 kg carton, each fruit in a foam net.",
        "10公斤透气纸箱，每个果实套泡沫网。",
    ),
    "Standing pouch zip 100 g.": ("100 g zip stand-up pouch.", "100克自立拉链袋。"),
    "Kantong aluminium foil dengan katup dan zip.": (
        "Aluminium-foil bag with valve and zip.",
        "带排气阀和拉链的铝箔袋。",
    ),
    "Ditumpuk 10 per karton dengan sekat kertas dan silika gel.": (
        "Stacked 10 to a carton with paper dividers and silica gel.",
        "每箱10件叠放，纸板隔开，附硅胶干燥剂。",
    ),
    "Botol kaca 500 g dengan tutup segel.": (
        "500 g glass jar with sealed lid.",
        "500克玻璃瓶，密封瓶盖。",
    ),
    "Karung goni 60 kg dengan kantong hermetis GrainPro, label GACC.": (
        "60 kg jute sacks with GrainPro hermetic liners, GACC label.",
        "60公斤麻袋，内衬GrainPro密封袋，标签注明中国海关注册编号。",
    ),
    "Karung goni 60 kg dengan kantong hermetis.": (
        "60 kg jute sacks with hermetic liners.",
        "60公斤麻袋，内衬密封袋。",
    ),
    "Keranjang bambu kecil beralas daun pisang.": (
        "Small bamboo basket lined with banana leaf.",
        "小竹篮，内垫香蕉叶。",
    ),
    "Kotak karton tipis tanpa segel.": (
        "Thin carton box without a seal.",
        "薄纸盒，无封签。",
    ),
    "Pouch kraft berlapis aluminium dengan zip.": (
        "Aluminium-lined kraft pouch with zip.",
        "内衬铝箔的牛皮纸拉链袋。",
    ),
    "Dibungkus daun pisang kering dan plastik.": (
        "Wrapped in dried banana leaves and plastic.",
        "干香蕉叶包裹，外套塑料袋。",
    ),
    "Dilipat, plastik OPP.": ("Folded, OPP bag.", "折叠后装OPP袋。"),
    "Busa, karton dan peti kayu bertanda ISPM-15.": (
        "Foam, carton and ISPM-15 marked wooden crate.",
        "泡沫、纸箱，外装带ISPM-15标识的木箱。",
    ),
    "Peti kayu bekas, belum diberi perlakuan panas.": (
        "Reused wooden crates, not heat-treated.",
        "旧木箱，未经热处理。",
    ),
    "Plastik PP tebal dengan label sablon.": (
        "Heavy PP bag with printed label.",
        "加厚PP塑料袋，印刷标签。",
    ),
    "Standing pouch metalized dengan zip dan jendela.": (
        "Metallised stand-up pouch with zip and window.",
        "镀铝自立拉链袋，带透明窗。",
    ),
    "Plastik vakum.": ("Vacuum-packed plastic.", "塑料真空包装。"),
    "Jeriken aluminium 25 kg tersegel, dengan lembar data keamanan.": (
        "Sealed 25 kg aluminium canisters with safety data sheet.",
        "25公斤密封铝桶，附安全技术说明书。",
    ),
    "Drum HDPE 25 kg.": ("25 kg HDPE drums.", "25公斤HDPE塑料桶。"),
    "Kertas koran dan karton bekas.": (
        "Newspaper and used cartons.",
        "旧报纸和旧纸箱。",
    ),
    "Disusun bertingkat dalam karton lima lapis.": (
        "Nested in five-ply cartons.",
        "套叠装入五层瓦楞纸箱。",
    ),
    "Plastik OPP per tas, 50 tas per karton.": (
        "Each bag in OPP plastic, 50 bags per carton.",
        "每个包单独装OPP袋，每箱50个。",
    ),
    "Dibungkus kertas minyak per potong, dalam kotak karton.": (
        "Each piece wrapped in greaseproof paper, in a carton box.",
        "每块用防油纸包裹，装入纸盒。",
    ),
    "Kertas minyak warna-warni dalam dus karton.": (
        "Colourful greaseproof paper in a carton box.",
        "彩色防油纸包装，装入纸盒。",
    ),
    "Standing pouch aluminium dengan zip dan penyerap oksigen.": (
        "Aluminium stand-up pouch with zip and oxygen absorber.",
        "铝箔自立拉链袋，内附脱氧剂。",
    ),
    # --- storage ---
    "Simpan di tempat kering dan sejuk, hindari sinar matahari langsung.": (
        "Store in a cool, dry place away from direct sunlight.",
        "置于阴凉干燥处，避免阳光直射。",
    ),
    "Suhu ruang, wadah tertutup rapat.": (
        "Room temperature, in a tightly closed container.",
        "常温密封保存。",
    ),
    "Suhu ruang paling lama 7 hari; lemari es 14 hari.": (
        "At most 7 days at room temperature; 14 days refrigerated.",
        "常温最多保存7天；冷藏可保存14天。",
    ),
    "Beku, −18 °C atau lebih dingin.": (
        "Frozen, at −18 °C or colder.",
        "−18 °C及以下冷冻保存。",
    ),
    "Dingin, 2–5 °C.": ("Chilled, 2–5 °C.", "2–5 °C冷藏。"),
    "Gudang kering, kelembapan 60–70 %, di atas palet.": (
        "Dry warehouse, 60–70 % humidity, on pallets.",
        "干燥仓库，湿度60–70%，置于托盘上。",
    ),
    "Dingin 8–10 °C.": ("Chilled at 8–10 °C.", "8–10 °C冷藏。"),
    "Suhu ruang, jauh dari sinar matahari; jangan disimpan di kulkas.": (
        "Room temperature, out of the sun; do not refrigerate.",
        "常温避光保存，请勿冷藏。",
    ),
    "Gudang kering, kelembapan 60–65 %, suhu di bawah 25 °C.": (
        "Dry warehouse, 60–65 % humidity, below 25 °C.",
        "干燥仓库，湿度60–65%，温度低于25 °C。",
    ),
    "Gudang kering, kelembapan 60–65 %.": (
        "Dry warehouse, 60–65 % humidity.",
        "干燥仓库，湿度60–65%。",
    ),
    "Suhu ruang, habiskan dalam 3–4 hari.": (
        "Room temperature; eat within 3–4 days.",
        "常温保存，请在3–4天内食用。",
    ),
    "Suhu ruang, wadah tertutup.": (
        "Room temperature, in a closed container.",
        "常温加盖保存。",
    ),
}

STEMS = ("materials", "packaging_description", "storage_conditions")


def translate(products):
    """Give each product dict the English and Chinese of its texts, for the languages its
    name is translated into (``name_en`` / ``name_zh``); texts given already are kept."""
    for item in products:
        for stem in STEMS:
            source = item.get(f"{stem}_id")
            if source not in TEXTS:
                continue
            english, chinese = TEXTS[source]
            if item.get("name_en"):
                item.setdefault(f"{stem}_en", english)
            if item.get("name_zh"):
                item.setdefault(f"{stem}_zh", chinese)
    return products
