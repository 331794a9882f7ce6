"""The common abbreviations, everyday words and filler words of citizens' searches.

Shipped so that search understands them from the first day; the province's administrator
adds, corrects or deletes rows in the admin ("Từ đồng nghĩa, viết tắt"). The list is frozen
here: a later change to it is a new migration, never an edit of this one.
"""

from django.db import migrations

from motcua.core.text import fold

# (what citizens type, what the catalogue calls it); "" marks a filler word.
SYNONYMS = [
    # Abbreviations.
    ("GPXD", "giấy phép xây dựng"),
    ("GPKD", "giấy phép kinh doanh"),
    ("ĐKKD", "đăng ký kinh doanh"),
    ("ĐKKD", "hộ kinh doanh"),
    ("ĐKDN", "đăng ký doanh nghiệp"),
    ("HKD", "hộ kinh doanh"),
    ("DNTN", "doanh nghiệp tư nhân"),
    ("ĐTM", "đánh giá tác động môi trường"),
    ("GPMT", "giấy phép môi trường"),
    ("BHYT", "bảo hiểm y tế"),
    ("BHXH", "bảo hiểm xã hội"),
    ("BHTN", "bảo hiểm thất nghiệp"),
    ("THPT", "trung học phổ thông"),
    ("THCS", "trung học cơ sở"),
    ("CCCD", "căn cước"),
    ("CMND", "căn cước"),
    ("CMT", "căn cước"),
    ("QSDĐ", "quyền sử dụng đất"),
    ("GCN", "giấy chứng nhận"),
    ("GCNQSDĐ", "giấy chứng nhận quyền sử dụng đất"),
    ("LLTP", "lý lịch tư pháp"),
    ("CCHN", "chứng chỉ hành nghề"),
    ("ATTP", "an toàn thực phẩm"),
    ("VSATTP", "an toàn thực phẩm"),
    ("PCCC", "phòng cháy chữa cháy"),
    ("UBND", "ủy ban nhân dân"),
    ("HĐLĐ", "hợp đồng lao động"),
    ("MST", "mã số thuế"),
    ("GPLX", "giấy phép lái xe"),
    ("KCB", "khám bệnh chữa bệnh"),
    ("HDV", "hướng dẫn viên"),
    ("XNTTHN", "xác nhận tình trạng hôn nhân"),
    # Everyday words for what the catalogue names otherwise.
    ("công chứng", "chứng thực"),
    ("sao y", "chứng thực bản sao"),
    ("photo công chứng", "chứng thực bản sao"),
    ("độc thân", "tình trạng hôn nhân"),
    ("giấy độc thân", "xác nhận tình trạng hôn nhân"),
    ("giấy khai sinh", "khai sinh"),
    ("làm khai sinh", "đăng ký khai sinh"),
    ("bản sao giấy khai sinh", "bản sao trích lục hộ tịch"),
    ("trích lục khai sinh", "trích lục hộ tịch"),
    ("giấy chứng tử", "khai tử"),
    ("chứng tử", "khai tử"),
    ("báo tử", "khai tử"),
    ("giấy đăng ký kết hôn", "đăng ký kết hôn"),
    ("đăng ký cưới", "đăng ký kết hôn"),
    ("cưới", "kết hôn"),
    ("ly dị", "ly hôn"),
    ("nhận con", "nhận cha, mẹ, con"),
    ("nhận cha con", "nhận cha, mẹ, con"),
    ("làm con nuôi", "nuôi con nuôi"),
    ("xây nhà", "xây dựng nhà ở"),
    ("sửa nhà", "sửa chữa cải tạo nhà ở"),
    ("sổ đỏ", "giấy chứng nhận quyền sử dụng đất"),
    ("sổ hồng", "giấy chứng nhận quyền sở hữu nhà ở"),
    ("mua bán nhà", "giao dịch nhà ở"),
    ("mua bán đất", "giao dịch quyền sử dụng đất"),
    ("hộ khẩu", "thường trú"),
    ("nhập hộ khẩu", "đăng ký thường trú"),
    ("cắt khẩu", "xóa đăng ký thường trú"),
    ("bằng lái", "giấy phép lái xe"),
    ("cấp 1", "tiểu học"),
    ("cấp 2", "trung học cơ sở"),
    ("cấp 3", "trung học phổ thông"),
    ("cấp ba", "trung học phổ thông"),
    ("bằng cấp 3", "bằng tốt nghiệp trung học phổ thông"),
    ("sao bằng", "bản sao văn bằng"),
    ("sao bằng tốt nghiệp", "bản sao văn bằng"),
    ("bản sao bằng", "bản sao văn bằng"),
    ("mở quán", "kinh doanh"),
    ("mở cửa hàng", "hộ kinh doanh"),
    ("buôn bán", "kinh doanh"),
    ("mở công ty", "thành lập doanh nghiệp"),
    ("mở nhà thuốc", "kinh doanh dược"),
    ("nhà thuốc", "kinh doanh dược"),
    ("hiệu thuốc", "kinh doanh dược"),
    ("nghỉ kinh doanh", "tạm ngừng kinh doanh"),
    ("đóng cửa hộ kinh doanh", "chấm dứt hoạt động hộ kinh doanh"),
    ("tour", "lữ hành"),
    ("dẫn tour", "hướng dẫn viên du lịch"),
    ("băng rôn", "băng-rôn"),
    ("treo băng rôn", "quảng cáo trên băng-rôn"),
    ("nuôi cá lồng", "nuôi trồng thủy sản lồng bè"),
    ("nuôi cá", "nuôi trồng thủy sản"),
    ("tiền mai táng", "mai táng phí"),
    ("hát karaoke", "karaoke"),
    ("đào ao", "đào hồ, ao"),
    ("hộ chiếu", "hộ chiếu"),
    ("passport", "hộ chiếu"),
    # Filler words: part of how people ask, not of what they ask for. A filler never makes a
    # procedure a result, only helps one that also has it ("lam" may be "lâm", "cho" "chợ").
    ("xin", ""),
    ("làm", ""),
    ("thủ tục", ""),
    ("hồ sơ", ""),
    ("cho", ""),
    ("cấp", ""),
    ("cho con", ""),
    ("cho bé", ""),
    ("cho em bé", ""),
    ("muốn", ""),
    ("tôi", ""),
    ("mình", ""),
    ("giúp", ""),
    ("cách", ""),
    ("như thế nào", ""),
    ("thế nào", ""),
    ("ở đâu", ""),
    ("bao lâu", ""),
    ("ra sao", ""),
    ("online", ""),
    ("trực tuyến", ""),
    ("nộp", ""),
    ("của", ""),
]


def seed(apps, schema_editor):
    model = apps.get_model("catalog", "SearchSynonym")
    for phrase, meaning in SYNONYMS:
        model.objects.get_or_create(
            phrase_folded=fold(phrase),
            meaning_folded=fold(meaning),
            defaults={"phrase": phrase, "meaning": meaning},
        )


def unseed(apps, schema_editor):
    model = apps.get_model("catalog", "SearchSynonym")
    for phrase, meaning in SYNONYMS:
        model.objects.filter(phrase_folded=fold(phrase), meaning_folded=fold(meaning)).delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0005_search_synonyms_and_popularity")]
    operations = [migrations.RunPython(seed, unseed)]
