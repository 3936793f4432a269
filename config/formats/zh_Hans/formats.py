# Prices for Chinese readers: "Rp 4,750,000". Django's zh_Hans formats group by 10,000
# without a separator ("4750000"), which is hard to read in rupiah amounts.
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
