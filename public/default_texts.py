"""The public texts as first seeded (public/0001) and as shown while an administrator has not saved
their own: key → (title zh, title en, body zh, body en). Day counts are placeholders filled from the
deadline rules in force (public.models.texts.PLACEHOLDER)."""

DEFAULT_TEXTS: dict[str, tuple[str, str, str, str]] = {
    "intro": (
        "我们做什么",
        "What we do",
        "本局依照《信访工作条例》接收群众通过网上信访、来信、来访和电话提出的建议、意见和投诉请求，"
        "登记后在{accept_days}日内转送、交办有权处理的机关、单位，并督促检查办理情况。\n"
        "您可以在本网站提交信访事项，提交后会得到事项编号和查询码，凭查询码可以随时查询办理进展。",
        "Under the Regulation on Letters and Visits Work, this office receives suggestions, opinions and "
        "complaints brought online, by letter, in person or by telephone. We register each one, pass it "
        "within {accept_days} days to the body that has the power to deal with it, and follow up until it "
        "is dealt with.\n"
        "You can submit your matter on this site. You will receive a case number and a tracking code, with "
        "which you can follow the progress of your case at any time.",
    ),
    "channels": (
        "信访渠道和联系方式",
        "How to reach us",
        "- 网上信访：本网站“网上信访”栏目，全天接收，工作日处理。\n"
        "- 来信：寄往本局信访接待室，请写明姓名、联系电话、通信地址和反映的问题。\n"
        "- 来访：工作日上午 9:00–12:00，下午 14:00–17:30，到本局信访接待大厅登记；领导接待日见“领导接待日”。\n"
        "- 电话：工作时间拨打本局来电登记电话；非工作时间可拨打 12345 政务服务便民热线。\n"
        "通信地址和电话以本局公布的为准：管理员可在后台“公开文本”中填写本局的实际地址、邮编和电话。\n"
        "多人反映同一问题的，请推选不超过5名代表。",
        "- Online: the “Submit online” page of this site, open day and night; dealt with on working days.\n"
        "- By letter: to the office's reception room; please give your name, telephone, postal address and "
        "the matter.\n"
        "- In person: working days 9:00–12:00 and 14:00–17:30 at the office's reception hall; see "
        "“Reception days” for the days on which leaders receive visitors.\n"
        "- By telephone: the office's intake line during working hours; outside them, the 12345 government "
        "service hotline.\n"
        "The address and telephone numbers are those the office publishes: administrators enter the office's "
        "own address, postcode and telephone under “Public texts”.\n"
        "Where many people bring the same matter, please choose at most 5 representatives.",
    ),
    "accepted": (
        "我们受理的事项",
        "What we accept",
        "- 对各级机关、单位及其工作人员的工作提出的建议、意见；\n"
        "- 对机关、单位及其工作人员的职务行为反映情况、提出投诉请求；\n"
        "- 检举、揭发违法违纪行为（依照规定转送纪检监察机关处理，检举人的信息予以保密）；\n"
        "- 申诉和求决类事项，例如拖欠工资、社会保障、住房、征地拆迁、教育、医疗等需要有关单位依法处理的问题。\n"
        "登记后，我们在{accept_days}日内决定是否受理并转送有权处理的单位，受理与否都会书面告知您。",
        "- Suggestions and opinions on the work of public bodies and their staff;\n"
        "- Complaints about what a public body or its staff did in their official capacity;\n"
        "- Reports of misconduct or law-breaking (passed to the discipline inspection bodies as the rules "
        "require; the identity of whoever reports is kept confidential);\n"
        "- Claims and appeals that a body must decide by law, for example unpaid wages, social insurance, "
        "housing, land requisition and demolition, education or health care.\n"
        "After registration we decide within {accept_days} days whether the matter is accepted and to whom "
        "it goes; either way you are told in writing.",
    ),
    "not_accepted": (
        "我们不受理的事项",
        "What we do not accept",
        "- 涉法涉诉事项：已经或者依法应当通过诉讼、仲裁、行政复议等法定途径解决的问题，请向人民法院、"
        "人民检察院或者有关仲裁、复议机关提出；来信将依照《信访工作条例》第二十二条转送同级政法部门。\n"
        "- 已经复核，仍以同一事实和理由提出的投诉请求。\n"
        "- 不属于本级机关、单位职权范围的事项：我们会告知您向哪个机关、单位提出。\n"
        "- 紧急情况请直接拨打 110、119、120。",
        "- Matters involving litigation: what has been or by law must be settled by a court, arbitration or "
        "administrative reconsideration. Please bring them to the people's court, the people's procuratorate "
        "or the arbitration or reconsideration body; letters about them are passed to the judicial and "
        "public-security organs as article 22 of the Regulation requires.\n"
        "- A complaint already reviewed twice and brought again on the same facts and grounds.\n"
        "- Matters outside the powers of the bodies at this level: we tell you where to bring them.\n"
        "- In an emergency call 110, 119 or 120.",
    ),
    "steps": (
        "办理流程和期限",
        "Steps and deadlines",
        "- 登记：您提交后即登记，得到事项编号和查询码。\n"
        "- 受理：收到之日起{accept_days}日内决定是否受理，转送、交办有权处理的单位，并书面告知您。\n"
        "- 转办：承办单位认为不属于其职权范围的，应在{objection_days}个工作日内提出。\n"
        "- 办理：受理之日起{handling_days}日内办结，出具书面处理意见；情况复杂的，经批准可延长，"
        "延长不超过{extension_days}日，并告知您理由。\n"
        "- 复查：对处理意见不服的，可以自收到书面答复之日起{review_request_days}日内请求复查；"
        "复查机关自收到请求之日起{review_answer_days}日内答复。\n"
        "期限从次日起算；最后一天是法定休假日的，顺延到休假日后的第一个工作日。",
        "- Registration: your matter is registered as soon as you submit it; you get a case number and a "
        "tracking code.\n"
        "- Acceptance: within {accept_days} days of receipt we decide whether it is accepted, pass it to the "
        "body that deals with it, and tell you in writing.\n"
        "- Routing: a body that finds the matter is not theirs must say so within {objection_days} working days.\n"
        "- Handling: the matter is dealt with within {handling_days} days of acceptance, with a written "
        "opinion; a complex matter may, with approval, take at most {extension_days} days more, and you are "
        "told why.\n"
        "- Review: if you disagree with the opinion you may ask for a review within {review_request_days} days "
        "of receiving it; the reviewing body answers within {review_answer_days} days of your request.\n"
        "Days are counted from the next day; a deadline falling on a public holiday moves to the next working day.",
    ),
    "consent": (
        "您的信息如何使用",
        "How your information is used",
        "您填写的姓名、身份证号码、电话、地址和电子邮箱只用于登记和办理本信访事项、告知您办理情况以及"
        "识别您以前反映过的事项（以便与本次关联，不需要重新说明）。\n"
        "这些信息由本局和承办单位的工作人员依照职责查看，每一次查看都有记录；检举控告类事项和您要求保密的，"
        "不向被反映的单位和承办部门透露您的身份。\n"
        "我们不会把您的信息用于其他目的，也不会向无关单位或个人提供。信访材料依照档案管理规定保存。",
        "Your name, ID number, telephone, address and e-mail are used only to register and deal with this "
        "matter, to tell you how it progresses, and to recognise matters you brought before (so that they "
        "are linked and you need not explain again).\n"
        "Staff of this office and of the body dealing with the matter see them as their duties require, and "
        "every viewing is recorded. For reports of misconduct, and when you ask for confidentiality, your "
        "identity is not revealed to the unit complained about or to the handling department.\n"
        "We use your information for no other purpose and give it to no one unconcerned. Petition records are "
        "kept as the archive rules require.",
    ),
}
