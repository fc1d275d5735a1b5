/*
 * err.c - codes and bilingual messages for every tqk_err.
 *
 * One table, indexed by the enum. The unit tests check that every value has
 * a domain, a code and both messages, and that domain.code is unique.
 */
#include "core/err.h"

#include <string.h>

struct err_info {
	const char *domain;
	const char *code;
	const char *msg[TQK_LANG_COUNT];
};

static const struct err_info errors[TQK_E_COUNT] = {
	[TQK_OK] = {"ok", "ok", {"成功", "success"}},

	[TQK_E_ARG] = {"general", "arg",
		{"参数超出允许范围", "argument out of range"}},
	[TQK_E_NOMEM] = {"general", "nomem",
		{"内存不足", "out of memory"}},
	[TQK_E_TOO_LONG] = {"general", "too_long",
		{"输入内容过长", "input is too long"}},
	[TQK_E_UTF8] = {"general", "utf8",
		{"文字编码无效（须为 UTF-8）", "text is not valid UTF-8"}},

	[TQK_E_DATE_FORMAT] = {"date", "format",
		{"日期格式应为 YYYY-MM-DD", "date must be written YYYY-MM-DD"}},
	[TQK_E_DATE_INVALID] = {"date", "invalid",
		{"日期不存在", "no such date"}},
	[TQK_E_TIME_FORMAT] = {"date", "time_format",
		{"时间格式应为 YYYY-MM-DD HH:MM 或 HH:MM",
		 "time must be written YYYY-MM-DD HH:MM or HH:MM"}},

	[TQK_E_ID_LENGTH] = {"id", "length",
		{"身份证号码应为18位（旧号码15位）",
		 "an ID number has 18 characters (old numbers 15)"}},
	[TQK_E_ID_CHARS] = {"id", "chars",
		{"身份证号码只能包含数字，最后一位可为 X",
		 "an ID number holds digits only; the last may be X"}},
	[TQK_E_ID_REGION] = {"id", "region",
		{"身份证号码的省级行政区代码不存在",
		 "the ID number's province code does not exist"}},
	[TQK_E_ID_DATE] = {"id", "date",
		{"身份证号码中的出生日期不存在或晚于今天",
		 "the ID number's birth date does not exist or is in the future"}},
	[TQK_E_ID_CHECKSUM] = {"id", "checksum",
		{"身份证号码校验位错误，请逐位核对",
		 "the ID number's check character is wrong; check every digit"}},

	[TQK_E_CERT_LENGTH] = {"cert", "length",
		{"教师资格证书号码应为17位（旧证书15位，前面加“19”）",
		 "a certificate number has 17 digits (old 15-digit numbers get \"19\" in front)"}},
	[TQK_E_CERT_CHARS] = {"cert", "chars",
		{"教师资格证书号码只能包含数字",
		 "a certificate number holds digits only"}},
	[TQK_E_CERT_YEAR] = {"cert", "year",
		{"教师资格证书号码的前四位年份应在1993年至今年之间",
		 "the certificate number's first four digits must be a year from 1993 to this year"}},

	[TQK_E_ARCHIVE_COUNTY] = {"archive", "county",
		{"县（区）拼音首字母应为2至6个大写字母",
		 "the county initials must be 2 to 6 capital letters"}},
	[TQK_E_ARCHIVE_YEAR] = {"archive", "year",
		{"首次注册年度应为四位年份（1993年起）",
		 "the first-registration year must be a four-digit year from 1993"}},
	[TQK_E_ARCHIVE_SITE] = {"archive", "site",
		{"确认点序号应在1至99之间",
		 "the confirmation-site number must be from 1 to 99"}},
	[TQK_E_ARCHIVE_SERIAL] = {"archive", "serial",
		{"个人序号超出位数范围",
		 "the personal serial does not fit its width"}},
	[TQK_E_ARCHIVE_WIDTH] = {"archive", "width",
		{"个人序号位数应在1至6之间",
		 "the serial width must be from 1 to 6"}},
	[TQK_E_ARCHIVE_FORMAT] = {"archive", "format",
		{"档案序号格式错误（例：CSX202401007）",
		 "malformed archive number (example: CSX202401007)"}},

	[TQK_E_CAL_HEADER] = {"calendar", "header",
		{"日历文件首行应为“tqk-calendar 1”",
		 "a calendar file must begin with \"tqk-calendar 1\""}},
	[TQK_E_CAL_SYNTAX] = {"calendar", "syntax",
		{"日历文件的这一行无法识别",
		 "this calendar line is not understood"}},
	[TQK_E_CAL_RANGE] = {"calendar", "range",
		{"日期范围无效（结束早于开始或超过31天）",
		 "invalid date range (ends before it starts or spans more than 31 days)"}},
	[TQK_E_CAL_DUPLICATE] = {"calendar", "duplicate",
		{"同一天在日历中出现了两次",
		 "the same day appears twice in the calendar"}},
	[TQK_E_CAL_WORKDAY] = {"calendar", "workday",
		{"调休上班日必须是周六或周日",
		 "a make-up working day must be a Saturday or a Sunday"}},
	[TQK_E_CAL_FULL] = {"calendar", "full",
		{"日历条目过多", "too many calendar entries"}},

	[TQK_E_HOURS] = {"window", "hours",
		{"开放时间无效：开始须早于结束，且在当天之内",
		 "invalid opening hours: opening must come before closing, within one day"}},
	[TQK_E_PERIOD] = {"window", "period",
		{"确认期无效：开始日期晚于结束日期",
		 "invalid confirmation period: the first day is after the last"}},

	[TQK_E_STATE_UNKNOWN] = {"state", "unknown",
		{"未知的申请状态", "unknown application state"}},
	[TQK_E_STATE_TRANSITION] = {"state", "transition",
		{"申请不能从当前状态转为该状态",
		 "the application cannot move from its current state to that one"}},
	[TQK_E_STATE_ACTOR] = {"state", "actor",
		{"您无权进行此项状态变更",
		 "you are not allowed to make this change of state"}},

	[TQK_E_MAT_UNMARKED] = {"materials", "unmarked",
		{"还有材料未标记“具备”或“不具备”",
		 "some materials are not yet marked present or missing"}},
	[TQK_E_MAT_MARK] = {"materials", "mark",
		{"材料标记无效：只能标记“具备”或“不具备”（仅公安机关证明可为“不适用”）",
		 "invalid mark: each material is present or missing (only the police certificate can be not applicable)"}},
	[TQK_E_MAT_POLICE] = {"materials", "police",
		{"公安机关证明仅在证书与身份证姓名或号码不一致时需要，其余情况应为“不适用”",
		 "a police certificate is needed only when the certificate's name or ID number differs from the ID card; otherwise it is not applicable"}},
	[TQK_E_MAT_CONCLUSION] = {"materials", "conclusion",
		{"确认结论与材料标记不符", "the conclusion does not match the marks"}},
	[TQK_E_MAT_REASON] = {"materials", "reason",
		{"选择“网报未受理”时须在备注栏说明原因",
		 "\"not accepted\" requires the reason in the remark"}},
	[TQK_E_MAT_MESSAGE] = {"materials", "message",
		{"缺少省级规定的其他材料时，须在留言中写明需补齐的材料",
		 "when a material the province requires is missing, the message must say what to bring"}},
	[TQK_E_STAGE_UNKNOWN] = {"stage", "unknown",
		{"未知的学段或资格种类", "unknown stage or qualification type"}},
	[TQK_E_UUID] = {"record", "uuid",
		{"记录编号（UUID）格式错误", "a record id (uuid) is malformed"}},
	[TQK_E_FIELD_UNKNOWN] = {"record", "field_unknown",
		{"没有这个字段，或该字段不可更正", "no such field, or the field cannot be corrected"}},
	[TQK_E_FIELD_VALUE] = {"record", "field_value",
		{"字段内容不符合要求", "the field's value is not allowed"}},
	[TQK_E_FIELD_REQUIRED] = {"record", "field_required",
		{"必填字段为空", "a required field is empty"}},
	[TQK_E_CORRECTIONS] = {"record", "corrections",
		{"更正过多，或同一字段更正了两次", "too many corrections, or one field corrected twice"}},
	[TQK_E_TIME_SOURCE] = {"record", "time_source",
		{"时间来源无效", "unknown time source"}},
	[TQK_E_DEMO_RECORD] = {"record", "demo",
		{"演示模式下产生的记录，正式服务器不予接收", "a record made in demo mode: this server takes no demo records"}},

	[TQK_E_WALKIN_NOTICE] = {"walkin", "notice",
		{"请先阅读注册须知", "please read the notice first"}},
	[TQK_E_WALKIN_TERMS] = {"walkin", "terms",
		{"须同意服务条款才能继续", "the service terms must be accepted to go on"}},
	[TQK_E_WALKIN_CERT_ID] = {"walkin", "cert_id",
		{"该教师资格证书登记的身份证号码与您的不一致，无法继续申请，请到现场确认点咨询",
		 "this certificate is registered under another ID number: the application cannot go on; ask at the confirmation site"}},
	[TQK_E_WALKIN_NO_PLAN] = {"walkin", "no_plan",
		{"该注册机构没有注册计划", "this institution has no registration plan"}},
	[TQK_E_WALKIN_NOT_OPEN] = {"walkin", "not_open",
		{"尚未到该注册机构的网上申请时间", "the institution's application window has not opened yet"}},
	[TQK_E_WALKIN_CLOSED] = {"walkin", "closed",
		{"该注册机构的网上申请时间已结束", "the institution's application window has closed"}},
	[TQK_E_WALKIN_READONLY] = {"walkin", "readonly",
		{"申请已不能修改（已现场确认或确认期已结束），只能查看",
		 "the application can no longer be changed (confirmed, or the confirmation period is over): view only"}},
	[TQK_E_PASSWORD_WEAK] = {"walkin", "password_weak",
		{"密码须为 8 到 64 位，同时包含字母和数字", "the password must be 8 to 64 characters with letters and digits"}},
	[TQK_E_PASSWORD_MISMATCH] = {"walkin", "password_mismatch",
		{"两次输入的密码不一致", "the two passwords differ"}},
	[TQK_E_WALKIN_SERIALS] = {"walkin", "serials",
		{"本机的临时报名号已用完", "this kiosk's provisional registration numbers are used up"}},
	[TQK_E_WALKIN_EXISTS] = {"walkin", "exists",
		{"该证书已有注册申请，请查看申请状态", "this certificate already has an application: see its status"}},

	[TQK_E_JSON_SYNTAX] = {"json", "syntax",
		{"JSON 格式错误", "the JSON text is malformed"}},
	[TQK_E_JSON_TYPE] = {"json", "type",
		{"JSON 字段缺失或类型错误", "a JSON member is missing or has the wrong type"}},

	[TQK_E_STORE_OPEN] = {"store", "open",
		{"无法打开或创建本地数据库文件", "the local database file cannot be opened or created"}},
	[TQK_E_STORE_MISSING] = {"store", "missing",
		{"本地数据库不存在，请先执行 tqkioskctl db init",
		 "there is no local database; run tqkioskctl db init first"}},
	[TQK_E_STORE_CORRUPT] = {"store", "corrupt",
		{"本地数据库已损坏，请从备份恢复", "the local database is damaged; restore it from a backup"}},
	[TQK_E_STORE_VERSION] = {"store", "version",
		{"本地数据库由更新版本的程序写入，请升级本程序",
		 "the local database was written by a newer program; upgrade this one"}},
	[TQK_E_STORE_FULL] = {"store", "full",
		{"存储空间已满，未保存。请联系管理员清理磁盘",
		 "the disk is full; nothing was saved. Ask the administrator to free space"}},
	[TQK_E_STORE_IO] = {"store", "io",
		{"读写本地数据库时出错，未保存", "a read or write of the local database failed; nothing was saved"}},
	[TQK_E_STORE_READONLY] = {"store", "readonly",
		{"本地数据库只读，未保存", "the local database is read-only; nothing was saved"}},
	[TQK_E_STORE_BUSY] = {"store", "busy",
		{"本地数据库正忙，请稍后重试", "the local database is busy; try again in a moment"}},
	[TQK_E_STORE_INTERNAL] = {"store", "internal",
		{"本地数据库出现意外错误，未保存", "the local database failed unexpectedly; nothing was saved"}},
	[TQK_E_STORE_NOT_SETUP] = {"store", "not_setup",
		{"本机尚未配置确认点，请先执行 tqkioskctl db init",
		 "this kiosk has no site configured; run tqkioskctl db init first"}},
	[TQK_E_STORE_SITE] = {"store", "site",
		{"该记录不属于本确认点", "the record belongs to another confirmation site"}},
	[TQK_E_STORE_NOT_FOUND] = {"store", "not_found",
		{"未找到该记录", "no such record"}},
	[TQK_E_STORE_CONFIRMED] = {"store", "confirmed",
		{"该报名号已经确认过；如需修改，请做更正", "this registration number is already confirmed; make a correction instead"}},
	[TQK_E_STORE_SUPERSEDE] = {"store", "supersede",
		{"要更正的确认记录不存在或已被更正", "the confirmation to correct does not exist or was corrected already"}},
	[TQK_E_STORE_STALE] = {"store", "stale",
		{"申请信息已被修改，请重新打开后再更正", "the application changed meanwhile; open it again before correcting"}},
	[TQK_E_STORE_EXISTS] = {"store", "exists",
		{"该记录已保存过", "this record is already saved"}},
	[TQK_E_STORE_CONFLICT] = {"store", "conflict",
		{"报名号已对应另一个正式报名号", "the number is already mapped to another official number"}},
	[TQK_E_STORE_SERIALS] = {"store", "serials",
		{"本确认点的档案序号已用完", "this site has used up its archive serials"}},
	[TQK_E_STORE_AUDIT] = {"store", "audit",
		{"审计记录链校验失败", "the audit chain does not verify"}},
	[TQK_E_STORE_NO_BACKUP] = {"store", "no_backup",
		{"没有可用的完好备份", "there is no good backup"}},
	[TQK_E_STORE_OUTBOX] = {"store", "outbox",
		{"待上传记录的状态不允许此操作", "the upload queue entry is not in a state that allows this"}},
	[TQK_E_AUTH_MISSING] = {"auth", "missing",
		{"请求缺少签名或签名格式错误", "the request's signature headers are missing or malformed"}},
	[TQK_E_AUTH_KIOSK] = {"auth", "kiosk",
		{"未登记或已停用的自助机", "unknown or disabled kiosk"}},
	[TQK_E_AUTH_SIGNATURE] = {"auth", "signature",
		{"请求签名校验失败", "the request's signature does not verify"}},
	[TQK_E_AUTH_STALE] = {"auth", "stale",
		{"请求时间与服务器时间相差过大，请检查时钟", "the request's time is too far from the server's; check the clock"}},
	[TQK_E_AUTH_REPLAY] = {"auth", "replay",
		{"重复的请求（随机数已用过）", "a replayed request (the nonce was used already)"}},
	[TQK_E_AUTH_SITE] = {"auth", "site",
		{"只能读写本确认点的数据", "a kiosk may read and write only its own site's data"}},

	[TQK_E_NET] = {"net", "connect",
		{"无法连接县服务器", "cannot reach the county server"}},
	[TQK_E_NET_TIMEOUT] = {"net", "timeout",
		{"连接县服务器超时", "the county server did not answer in time"}},
	[TQK_E_NET_TLS] = {"net", "tls",
		{"县服务器的证书校验失败", "the county server's certificate did not verify"}},
	[TQK_E_NET_STATUS] = {"net", "status",
		{"县服务器返回了意外的状态", "the county server answered with an unexpected status"}},
	[TQK_E_NET_REPLY] = {"net", "reply",
		{"县服务器的回复格式错误", "the county server's reply is malformed"}},
	[TQK_E_CONFIG] = {"config", "invalid",
		{"配置文件缺失或有误", "the configuration file is missing or wrong"}},

	[TQK_E_DEV_SPEC] = {"dev", "spec",
		{"设备地址写法有误", "the device address is not valid"}},
	[TQK_E_DEV_NOT_FOUND] = {"dev", "not_found",
		{"未找到设备，请检查连接", "device not found: check that it is plugged in"}},
	[TQK_E_DEV_ACCESS] = {"dev", "access",
		{"没有打开设备的权限", "no permission to open the device"}},
	[TQK_E_DEV_BUSY] = {"dev", "busy",
		{"设备正被其他程序占用", "the device is in use by another program"}},
	[TQK_E_DEV_GONE] = {"dev", "gone",
		{"设备已断开，重新插上即可继续", "the device was disconnected; plug it in again to go on"}},
	[TQK_E_DEV_TIMEOUT] = {"dev", "timeout",
		{"设备无响应", "the device did not answer in time"}},
	[TQK_E_DEV_IO] = {"dev", "io",
		{"设备读写出错", "device input/output error"}},

	[TQK_E_SAM_FRAME] = {"sam", "frame",
		{"读卡器数据格式错误", "the card reader sent a malformed frame"}},
	[TQK_E_SAM_CHECKSUM] = {"sam", "checksum",
		{"读卡器数据校验错误", "the card reader's data failed its checksum"}},
	[TQK_E_SAM_STATUS] = {"sam", "status",
		{"读卡器报告错误", "the card reader reported an error"}},
	[TQK_E_SAM_REPLY] = {"sam", "reply",
		{"读卡器的应答与请求不符", "the card reader's reply does not match the request"}},
	[TQK_E_CARD_NONE] = {"card", "none",
		{"读卡器上没有身份证", "no ID card on the reader"}},
	[TQK_E_CARD_REMOVED] = {"card", "removed",
		{"读卡时身份证被移开，请放稳后重试", "the card was moved during the read: place it again"}},
	[TQK_E_CARD_DATA] = {"card", "data",
		{"身份证信息无法识别", "the ID card's data cannot be read"}},

	[TQK_E_SCAN_CHARS] = {"scan", "chars",
		{"条码中含有无效字符", "the barcode holds characters none of ours use"}},
	[TQK_E_SCAN_UNKNOWN] = {"scan", "unknown",
		{"无法识别此条码：请扫描证书、申请表上的条码或二维码",
		 "unknown barcode: scan the certificate's or the application form's code"}},
	[TQK_E_IMAGE] = {"scan", "image",
		{"图像文件无法读取", "the image file cannot be read"}},
	[TQK_E_PAYLOAD_FORMAT] = {"payload", "format",
		{"二维码内容格式有误", "the QR code's content is malformed"}},
	[TQK_E_PAYLOAD_VERSION] = {"payload", "version",
		{"二维码版本不受支持", "the QR code's version is not supported"}},
	[TQK_E_PAYLOAD_KEY] = {"payload", "key",
		{"二维码的签名密钥未知，请先同步", "the QR code is signed with an unknown key: sync first"}},
	[TQK_E_PAYLOAD_SIGNATURE] = {"payload", "signature",
		{"二维码签名无效，申请表可能被篡改", "the QR code's signature is invalid: the form may be altered"}},

	[TQK_E_PAYLOAD_NO_KEY] = {"payload", "no_key",
		{"没有启用的签名密钥，请先生成（tq-county admin key new）",
		 "no active signing key: make one first (tq-county admin key new)"}},

	[TQK_E_HID_DESC] = {"hid", "descriptor",
		{"扫码枪的 HID 报告描述符无法解析", "the scanner's HID report descriptor does not parse"}},
	[TQK_E_HID_REPORT] = {"hid", "report",
		{"扫码枪发送的数据不完整或格式不符，请重新扫码",
		 "the scanner sent an incomplete or malformed report: scan again"}},
	[TQK_E_HID_KIND] = {"hid", "kind",
		{"该设备不是条码扫描器（既不是键盘模式，也不是 HID POS 模式）",
		 "the device is not a barcode scanner (neither a keyboard nor HID POS)"}},

	[TQK_E_IMAGE_FORMAT] = {"scan", "image_format",
		{"不是 PNG、PGM 或 PPM 图像，或图像文件已损坏",
		 "not a PNG, PGM or PPM image, or the image file is damaged"}},
	[TQK_E_IMAGE_SIZE] = {"scan", "image_size",
		{"图像过大", "the image is too large"}},
	[TQK_E_CAM_FORMAT] = {"dev", "camera_format",
		{"摄像头不可用：不是摄像设备，或不支持所需的图像格式（GREY 或 YUYV）",
		 "not a usable camera: not a capture device, or no GREY or YUYV picture format"}},

	[TQK_E_TREE_HEADER] = {"tree", "header",
		{"选项文件首行应为“tqk-tree 1 类别”（如 tqk-tree 1 authorities）",
		 "a choice file must begin with \"tqk-tree 1 KIND\" (e.g. tqk-tree 1 authorities)"}},
	[TQK_E_TREE_INDENT] = {"tree", "indent",
		{"缩进有误：只能用制表符（Tab）缩进，且每行最多比上一行深一级",
		 "bad indentation: indent with tabs only, at most one level deeper than the line before"}},
	[TQK_E_TREE_DEPTH] = {"tree", "depth",
		{"层级过深（最多4级）", "too deep (at most 4 levels)"}},
	[TQK_E_TREE_NAME] = {"tree", "name",
		{"名称为空，或含有空格、控制字符或“/”",
		 "a name is empty, or holds a blank, a control character or '/'"}},
	[TQK_E_TREE_CODE] = {"tree", "code",
		{"编码过长（最多12位数字），或与前面的编码重复",
		 "a code is too long (at most 12 digits) or was used before"}},
	[TQK_E_TREE_DUPLICATE] = {"tree", "duplicate",
		{"同一上级下有两个同名选项", "two choices of the same name under one parent"}},
	[TQK_E_TREE_FULL] = {"tree", "full",
		{"选项过多", "too many choices"}},
};

static const struct err_info *info(tqk_err err)
{
	static const struct err_info unknown = {"general", "unknown",
		{"未知错误", "unknown error"}};
	if ((unsigned)err >= TQK_E_COUNT || errors[err].code == NULL)
		return &unknown;
	return &errors[err];
}

const char *tqk_strerror(tqk_err err, tqk_lang lang)
{
	return info(err)->msg[tqk_lang_or_default(lang)];
}

const char *tqk_err_code(tqk_err err)
{
	return info(err)->code;
}

const char *tqk_err_domain(tqk_err err)
{
	return info(err)->domain;
}

tqk_err tqk_lang_parse(const char *s, tqk_lang *out)
{
	if (s == NULL)
		return TQK_E_ARG;
	if (strcmp(s, "zh") == 0 || strcmp(s, "zh_CN") == 0 || strcmp(s, "zh-CN") == 0) {
		*out = TQK_LANG_ZH;
		return TQK_OK;
	}
	if (strcmp(s, "en") == 0) {
		*out = TQK_LANG_EN;
		return TQK_OK;
	}
	return TQK_E_ARG;
}
