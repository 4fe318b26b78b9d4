//! Extraction cases, one line of input and its expected facts each, through one
//! `check` helper. Facts are written as lines:
//!   `post PERSON TITLE PLACE-OR-ORG`, `meets OFFICIAL ORG DATE`,
//!   `joins PERSON DATE TYPE ROLE`, `signs A B DATE`, `project NAME PLACE`,
//!   `alias ORG SHORT`, `parent ORG PARENT`; a leading `!` says the fact must be absent.
//! Names in these cases are invented; the genre's patterns are real.

use std::path::Path;
use std::sync::OnceLock;

use govkg::extract::Extractor;
use govkg::lexicon::Lexicon;
use govkg::source::parse_article;
use govkg::text::Document;

fn extractor() -> &'static Extractor {
    static E: OnceLock<Extractor> = OnceLock::new();
    E.get_or_init(|| Extractor::new(Lexicon::builtin()))
}

/// Extracts `input` (an article body, published 2024-06-02 unless it has front
/// matter) and checks every expected fact line.
fn check(input: &str, expected: &[&str]) {
    let text = if input.starts_with("---") {
        input.to_string()
    } else {
        format!("---\npublished: 2024-10-02\n---\n{input}")
    };
    let article = parse_article(Path::new("case.txt"), &text, false, vec![]).unwrap();
    let doc = Document::new(&article.body);
    let x = extractor().extract(&article, &doc);
    let got = x.fact_lines();
    for e in expected {
        match e.strip_prefix('!') {
            Some(absent) => assert!(
                !got.iter().any(|g| g == absent),
                "unexpected fact {absent:?}\nin {input}\ngot {got:#?}"
            ),
            None => assert!(
                got.iter().any(|g| g == e),
                "missing fact {e:?}\nin {input}\ngot {got:#?}"
            ),
        }
    }
}

#[test]
fn two_posts_in_one_apposition() {
    check(
        "福田区\n5月30日，福田区委副书记、区长张三丰主持召开区国资国企工作会议。",
        &[
            "post 张三丰 区委副书记 福田区",
            "post 张三丰 区长 福田区",
            "joins 张三丰 2024-05-30 meeting chair",
        ],
    );
}

#[test]
fn heading_gives_the_place() {
    check(
        "罗湖\n5月29日，会议由区委书记赵大明主持，区长钱小红等区领导参加会议。",
        &[
            "post 赵大明 区委书记 罗湖区",
            "post 钱小红 区长 罗湖区",
            "joins 赵大明 2024-05-29 meeting chair",
            "joins 钱小红 2024-05-29 meeting attendee",
        ],
    );
}

#[test]
fn inspection_of_companies_is_a_meeting() {
    check("龙岗\n5月29日，龙岗区委副书记、区长孙立新率队深入深圳市甲乙科技有限公司、丙丁科创中心走访调研。", &[
        "joins 孙立新 2024-05-29 inspection leader",
        "meets 孙立新 深圳市甲乙科技有限公司 2024-05-29",
        "meets 孙立新 丙丁科创中心 2024-05-29",
    ]);
}

#[test]
fn signing_with_declared_short_name_and_witness() {
    check("南山\n5月30日，深圳市南山区人民政府与中国华晟工程研究院股份有限公司(简称“华晟研”)签署战略合作框架协议。南山区委书记周一鸣，区委副书记、区长吴二宝出席签约仪式。", &[
        "signs 深圳市南山区人民政府 中国华晟工程研究院股份有限公司 2024-05-30",
        "alias 中国华晟工程研究院股份有限公司 华晟研",
        "meets 周一鸣 中国华晟工程研究院股份有限公司 2024-05-30",
        "meets 吴二宝 中国华晟工程研究院股份有限公司 2024-05-30",
        "joins 周一鸣 2024-05-30 signing attendee",
    ]);
}

#[test]
fn subsidiary_named_with_qixia() {
    check("大鹏新区\n5月29日，大鹏新区管理委员会与杭州星瀚数字技术股份有限公司达成战略合作，与星瀚数字旗下聚焦城市服务的深圳瀚视城市服务运营有限公司签署合作协议。新区党工委副书记、管委会主任郑三三出席签约仪式。", &[
        "post 郑三三 管委会主任 大鹏新区",
        "signs 大鹏新区管理委员会 杭州星瀚数字技术股份有限公司 2024-05-29",
        "signs 大鹏新区管理委员会 深圳瀚视城市服务运营有限公司 2024-05-29",
        "meets 郑三三 杭州星瀚数字技术股份有限公司 2024-05-29",
        "meets 郑三三 深圳瀚视城市服务运营有限公司 2024-05-29",
        "parent 深圳瀚视城市服务运营有限公司 杭州星瀚数字技术股份有限公司",
    ]);
}

#[test]
fn company_people_met_at_a_meeting() {
    check("---\npublished: 2025-02-28\n---\n重庆市大渡口区新闻\n2月26日上午，区委书记王五，区委副书记、区政府区长冯六会见远洋泰和集团党委书记、董事长陈七一行。", &[
        "post 王五 区委书记 大渡口区",
        "post 冯六 区长 大渡口区",
        "post 陈七 董事长 远洋泰和集团",
        "post 陈七 党委书记 远洋泰和集团",
        "meets 王五 远洋泰和集团 2025-02-26",
        "joins 陈七 2025-02-26 meeting attendee",
    ]);
}

#[test]
fn unknown_year_gives_no_date() {
    check(
        "---\npublished: unknown\n---\n近日，市委书记李四率队赴某某镇调研。",
        &["joins 李四 - inspection leader"],
    );
}

#[test]
fn named_park_in_its_district() {
    check(
        "盐田\n5月30日，深圳盐田翼航产业园正式揭牌。区委书记何八出席活动。",
        &[
            "project 深圳盐田翼航产业园 盐田区",
            "joins 何八 2024-05-30 ceremony attendee",
        ],
    );
}

#[test]
fn generic_zone_is_not_a_project() {
    check(
        "大鹏新区\n要加快打造世界级滨海生态旅游度假区。",
        &["!project 世界级滨海生态旅游度假区 大鹏新区"],
    );
}

#[test]
fn company_names_with_industry_words_are_kept_whole() {
    check("武宁\n9月26日，武宁县委副书记、县长付一刚率队深入九江通光新材料有限公司、九江智光物流集团有限公司走访调研。", &[
        "meets 付一刚 九江通光新材料有限公司 2024-09-26",
        "meets 付一刚 九江智光物流集团有限公司 2024-09-26",
    ]);
    check("固镇\n4月13日，蚌埠市固镇县人民政府与蚌埠宸迈新能源股份有限公司(简称“宸迈新能源”)签署战略合作框架协议。固镇县委书记玄华秀出席签约仪式。", &[
        "signs 蚌埠市固镇县人民政府 蚌埠宸迈新能源股份有限公司 2024-04-13",
        "alias 蚌埠宸迈新能源股份有限公司 宸迈新能源",
    ]);
}

#[test]
fn a_company_name_starts_at_its_city_whatever_jieba_makes_of_the_brand() {
    check("浔阳\n3月14日，浔阳区委副书记、区长陆勇勇率队深入九江晟弘生物医药股份有限公司、九江骏川信息技术集团有限公司走访调研。", &[
        "meets 陆勇勇 九江晟弘生物医药股份有限公司 2024-03-14",
        "meets 陆勇勇 九江骏川信息技术集团有限公司 2024-03-14",
    ]);
}

#[test]
fn county_posts_and_visiting_executives() {
    check("---\npublished: 2023-08-20\n---\n8月18日上午，筠连县委书记张三明，县委副书记、县长李四红会见远洋泰和集团董事长王五福一行。", &[
        "post 张三明 县委书记 筠连县",
        "post 李四红 县长 筠连县",
        "post 王五福 董事长 远洋泰和集团",
        "meets 张三明 远洋泰和集团 2023-08-18",
        "meets 李四红 远洋泰和集团 2023-08-18",
        "!meets 王五福 远洋泰和集团 2023-08-18",
    ]);
}

#[test]
fn a_list_of_leaders_attends() {
    check("---\npublished: 2023-08-20\n---\n8月18日，市委书记赵一鸣专程率队到星瀚数字技术股份有限公司调研。市领导钱二宝、孙三元等参加调研。", &[
        "joins 赵一鸣 2023-08-18 inspection leader",
        "joins 钱二宝 2023-08-18 inspection attendee",
        "joins 孙三元 2023-08-18 inspection attendee",
        "meets 赵一鸣 星瀚数字技术股份有限公司 2023-08-18",
    ]);
}

#[test]
fn a_short_name_declaration_is_not_part_of_the_title() {
    check("---\npublished: 2021-11-05\n---\n福田\n11月3日，区委书记吴大成会见中国恒远能源集团有限公司（以下简称“恒远能源”）党委常委、副总经理钱立新一行。", &[
        "post 钱立新 党委常委 中国恒远能源集团有限公司",
        "post 钱立新 副总经理 中国恒远能源集团有限公司",
        "alias 中国恒远能源集团有限公司 恒远能源",
        "meets 吴大成 中国恒远能源集团有限公司 2021-11-03",
    ]);
}

#[test]
fn colleagues_listed_after_one_title_share_it() {
    check(
        "福田\n6月29日，区长周一民主持召开区政府常务会议。副区长吴二华、郑三春参加会议。",
        &[
            "post 吴二华 副区长 福田区",
            "post 郑三春 副区长 福田区",
            "joins 郑三春 2024-06-29 meeting attendee",
        ],
    );
}

#[test]
fn a_same_day_activity_after_the_first_is_an_event_of_its_own() {
    check("福田\n6月28日上午，全区重大项目集中开工仪式在福田举行。区委书记吴大成宣布项目开工，区长周一民致辞。仪式结束后，吴大成一行前往深圳恒远电子有限公司，实地察看企业生产情况。当天下午，吴大成主持召开区委常委会会议。", &[
        "joins 周一民 2024-06-28 ceremony speaker",
        "meets 吴大成 深圳恒远电子有限公司 2024-06-28",
        "!meets 周一民 深圳恒远电子有限公司 2024-06-28",
        "joins 吴大成 2024-06-28 inspection leader",
        "joins 吴大成 2024-06-28 meeting chair",
    ]);
}

#[test]
fn one_party_signing_with_each_of_several_companies() {
    check("福田\n9月19日，区长周一民出席招商引资项目推介会。会上，福田区人民政府与上海鼎恒资本管理有限公司、杭州云岫智造科技有限公司分别签订投资协议。", &[
        "signs 福田区人民政府 上海鼎恒资本管理有限公司 2024-09-19",
        "signs 福田区人民政府 杭州云岫智造科技有限公司 2024-09-19",
    ]);
}

#[test]
fn a_place_word_inside_a_project_name_is_not_its_district_unless_the_article_is_there() {
    check("---\npublished: 2022-06-30\n---\n6月28日，我县重大项目集中开工仪式在城东工业园区举行，滨江大道二期工程同日开工。", &[
        "!project 城东工业园区 城东区",
        "!project 滨江大道 滨江区",
        "project 滨江大道 -",
    ]);
}

#[test]
fn a_surname_of_the_south_west() {
    check(
        "福田\n6月29日，区人大常委会主任盘仁和出席揭牌仪式。",
        &[
            "post 盘仁和 区人大常委会主任 福田区",
            "joins 盘仁和 2024-06-29 ceremony attendee",
        ],
    );
}

#[test]
fn a_name_after_a_title_need_not_start_with_a_han_surname() {
    check("---\npublished: 2021-11-05\n---\n福田\n11月3日，区委书记阿苏木呷会见中国恒远能源集团有限公司副总经理钱立新一行。阿苏木呷对钱立新一行表示欢迎。", &[
        "post 阿苏木呷 区委书记 福田区",
        "meets 阿苏木呷 中国恒远能源集团有限公司 2021-11-03",
        "joins 阿苏木呷 2021-11-03 meeting attendee",
    ]);
    check(
        "福田\n5月29日，区委书记主持召开区委常委会会议。",
        &["!post 主持召开 区委书记 福田区"],
    );
}

#[test]
fn a_verb_before_a_project_ending_names_no_project() {
    check("福田\n7月17日，区委书记吴大成会见深圳星澜半导体有限公司董事长钱立新。钱立新表示，将积极考虑布局生产基地。", &[
        "!project 布局生产基地 福田区",
    ]);
}

#[test]
fn a_newspaper_dates_by_day_of_month_and_by_yesterday() {
    check("---\npublished: 2022-06-30\n---\n福田\n27日上午，区委书记吴大成先后到深圳星澜半导体有限公司调研。昨日，区长周一民与来访的深圳瑞科光电股份有限公司总经理钱立新一行座谈。", &[
        "meets 吴大成 深圳星澜半导体有限公司 2022-06-27",
        "joins 吴大成 2022-06-27 inspection leader",
        "meets 周一民 深圳瑞科光电股份有限公司 2022-06-29",
        "joins 周一民 2022-06-29 forum attendee",
    ]);
}

#[test]
fn a_meeting_before_the_signing_is_an_event_of_its_own() {
    check("---\npublished: 2023-05-12\n---\n福田\n5月11日，福田区人民政府与深圳华研控股集团有限公司签约仪式举行。区委书记吴大成，华研控股集团有限公司董事长钱立新出席签约仪式。签约仪式前，吴大成会见了钱立新一行。", &[
        "joins 吴大成 2023-05-11 signing attendee",
        "joins 吴大成 2023-05-11 meeting attendee",
        "joins 钱立新 2023-05-11 meeting attendee",
    ]);
}

#[test]
fn titles_of_study_groups_zones_and_lecturers() {
    check("---\npublished: 2023-09-26\n---\n9月25日，县委理论学习中心组举行集体学习。县委理论学习中心组组长肖一平主持，县委副书记林二华参加学习。会议邀请市委党校教授邓二明作专题辅导。", &[
        "!post 肖一平 组组长 县委理论学习中心",
        "!meets 林二华 县委理论学习中心组 2023-09-25",
        "post 邓二明 教授 市委党校",
        "joins 邓二明 2023-09-25 meeting speaker",
    ]);
    check("---\npublished: 2024-01-18\n---\n1月16日，合肥高新区党工委书记、管委会主任潘三华出席签约活动。", &[
        "post 潘三华 党工委书记 合肥高新区",
        "post 潘三华 管委会主任 合肥高新区",
    ]);
}

#[test]
fn a_headline_opening_with_a_county_gives_the_place() {
    check("---\ntitle: 启东召开重点项目推进会\npublished: 2022-06-30\n---\n6月28日，市委书记周一民主持召开重点项目推进会。", &[
        "post 周一民 市委书记 启东市",
    ]);
}

#[test]
fn a_headline_opening_with_a_word_that_is_also_a_county_gives_no_place() {
    check("---\ntitle: 合作共赢 共谋发展\npublished: 2022-06-30\n---\n6月28日，市委书记周一民主持召开重点项目推进会。", &[
        "!post 周一民 市委书记 合作市",
    ]);
}

#[test]
fn a_name_followed_by_talks_or_a_lecture() {
    check("南山\n9月4日，区委书记秦一远与市发展改革委主任凌二峰座谈。9月2日，区委副书记戚三强在区委党校为全区处级干部讲授专题党课。", &[
        "post 凌二峰 主任 市发展改革委",
        "joins 凌二峰 2024-09-04 forum attendee",
        "joins 戚三强 2024-09-02 meeting speaker",
    ]);
}

#[test]
fn a_park_word_inside_a_company_name_is_no_project() {
    check(
        "南山\n9月5日，区长韩一明率团赴香港，先后拜访香港科技园公司、香港星澜电讯有限公司。",
        &[
            "meets 韩一明 香港科技园公司 2024-09-05",
            "!project 香港科技园 南山区",
        ],
    );
}

#[test]
fn a_cooperation_zone_is_named_whole() {
    check(
        "南山\n9月4日，区委书记秦一远带队赴前海深港现代服务业合作区对接工作。",
        &[
            "project 前海深港现代服务业合作区 南山区",
            "!project 海深港 南山区",
        ],
    );
}

#[test]
fn a_list_word_after_a_name_is_not_part_of_it() {
    check("---\npublished: 2023-03-09\n---\n福田\n3月8日，区委书记潘一军主持召开区委常委会会议。区委副书记刘敏等区委常委出席会议。", &[
        "joins 刘敏 2023-03-08 meeting attendee",
        "!joins 刘敏等 2023-03-08 meeting attendee",
    ]);
}

#[test]
fn both_sides_cooperation_is_no_project_and_no_place() {
    check("---\npublished: 2024-04-20\n---\n4月18日，深圳星澜新材料有限公司副总经理郑一庆一行来考察。郑一庆表示，将积极推动双方合作项目落地，深化合作。", &[
        "!project 双方合作项目 合作市",
        "!project 双方合作项目 -",
    ]);
}

#[test]
fn a_company_before_a_qualified_title_and_a_latin_name() {
    check(
        "福田\n6月27日，区委书记赵大明会见了来访的美国星澜公司全球副总裁John Smith一行。",
        &["meets 赵大明 美国星澜公司 2024-06-27"],
    );
}

#[test]
fn where_a_delegation_went_is_not_where_its_leaders_hold_office() {
    check("---\npublished: 2023-07-20\n---\n7月17日至19日，市委书记侯一邦率我市党政代表团赴上海、苏州等地考察招商。", &[
        "!post 侯一邦 市委书记 苏州市",
        "!post 侯一邦 市委书记 上海市",
    ]);
    // Towns and zones a leader goes to are the leader's own.
    check("---\npublished: 2024-05-20\n---\n近日，市委书记王一斌率队赴汇龙镇、启东经济开发区专题调研。", &[
        "post 王一斌 市委书记 启东市",
    ]);
}

#[test]
fn both_sides_signing_after_a_meeting() {
    check("福田\n11月3日，区委书记吴大成会见深圳恒远能源集团有限公司副总经理钱立新一行。会后，双方签署了战略合作协议。", &[
        "signs 福田区人民政府 深圳恒远能源集团有限公司 2023-11-03",
    ]);
}

#[test]
fn decorated_district_headings_open_sections() {
    check("---\npublished: 2024-10-13\n---\n【罗湖区】\n10月8日，区委书记蔡一明主持召开区委常委会会议。\n■福田区\n10月10日，区委书记汤二峰主持召开区委常委会会议。\n一、龙华区\n10月11日，区委书记葛三东出席揭牌仪式。", &[
        "post 蔡一明 区委书记 罗湖区",
        "post 汤二峰 区委书记 福田区",
        "post 葛三东 区委书记 龙华区",
    ]);
}

#[test]
fn a_signing_that_names_no_one_is_still_an_agreement() {
    check(
        "福田\n6月27日，福田区与深圳星澜半导体有限公司签订投资协议，总投资20亿元。",
        &["signs 福田区 深圳星澜半导体有限公司 2024-06-27"],
    );
}

#[test]
fn talks_during_a_tour_are_not_the_company_visits() {
    check("---\npublished: 2023-06-16\n---\n福田\n6月13日至15日，区委书记严一峰带队赴浙江考察学习，先后走访了杭州星澜数字技术股份有限公司等企业。考察期间，严一峰一行还与北仑区委书记何二东进行了座谈交流。", &[
        "meets 严一峰 杭州星澜数字技术股份有限公司 2023-06-13",
        "!meets 何二东 杭州星澜数字技术股份有限公司 2023-06-13",
        "joins 何二东 2023-06-13 forum attendee",
    ]);
}

#[test]
fn congress_and_cppcc_posts_are_held_in_the_place() {
    check("福田\n6月28日，区人大常委会党组书记、主任张一，区政协党组书记、主席王二，副区长（挂职）钱五出席活动。", &[
        "post 张一 人大常委会主任 福田区",
        "post 王二 政协主席 福田区",
        "post 钱五 副区长 福田区",
        "!post 张一 主任 区人大常委会",
    ]);
}

#[test]
fn subdistrict_posts_are_held_in_the_subdistrict() {
    check(
        "福田\n6月28日，沙头街道党工委书记孙六，福保街道党工委副书记、办事处主任周八出席活动。",
        &[
            "post 孙六 党工委书记 沙头街道",
            "post 周八 党工委副书记 福保街道",
            "post 周八 办事处主任 福保街道",
            "!post 周八 主任 办事处",
        ],
    );
}

// ---- Genre patterns of articles the rules were not tuned on (issue 14).
// Each case is invented; the pattern is one real reports show.

#[test]
fn a_delegations_own_units_are_not_met() {
    check("---\npublished: 2024-03-10\n---\n3月8日，市委书记王一斌带领市发改局、市投资促进中心、市城投集团负责人赴上海考察，先后走访了上海远景产业发展集团、华岭棉业公司。", &[
        "meets 王一斌 上海远景产业发展集团 2024-03-08",
        "meets 王一斌 华岭棉业公司 2024-03-08",
        "!meets 王一斌 市投资促进中心 2024-03-08",
        "!meets 王一斌 市城投集团 2024-03-08",
        "!meets 王一斌 产业发展集团 2024-03-08",
    ]);
}

#[test]
fn hosts_do_not_meet_what_a_received_delegation_visits() {
    check("---\npublished: 2024-05-12\n---\n5月10日，县委书记李明接待了来访的某市考察团一行。考察团先后参观了青禾纸业公司、远帆鞋业公司。", &[
        "!meets 李明 青禾纸业公司 2024-05-10",
        "!meets 李明 远帆鞋业公司 2024-05-10",
    ]);
}

#[test]
fn a_companys_party_secretary_is_no_official() {
    check(
        "福田\n5月10日，区长赵明轩会见了星河集团党委副书记钱立群一行。",
        &[
            "meets 赵明轩 星河集团 2024-05-10",
            "post 钱立群 党委副书记 星河集团",
            "!meets 钱立群 星河集团 2024-05-10",
        ],
    );
    check(
        "福田\n5月10日，区委书记赵明轩出席企业家座谈会，区总商会会长孙海涛主持会议。",
        &[
            "joins 孙海涛 2024-05-10 forum chair",
            "!post 孙海涛 会长 福田区",
        ],
    );
}

#[test]
fn companies_named_without_a_legal_ending_are_visited() {
    check("---\npublished: 2024-04-03\n---\n4月2日，县长孙海涛先后走访了青禾纸业、远帆鞋业、华岭棉业公司，考察了启明机器人和中科芯源。", &[
        "meets 孙海涛 青禾纸业 2024-04-02",
        "meets 孙海涛 远帆鞋业 2024-04-02",
        "meets 孙海涛 华岭棉业公司 2024-04-02",
        "meets 孙海涛 启明机器人 2024-04-02",
        "meets 孙海涛 中科芯源 2024-04-02",
    ]);
    check("---\npublished: 2024-04-03\n---\n4月2日，县长孙海涛到企业调研。在宏瑞制药，孙海涛详细了解企业生产经营情况。", &[
        "meets 孙海涛 宏瑞制药 2024-04-02",
    ]);
}

#[test]
fn a_trips_visits_take_the_trips_dates() {
    check("---\npublished: 2024-03-12\n---\n3月8日至10日，县长孙海涛率考察团赴江苏考察，先后考察了苏州星澜电子有限公司、无锡青禾生物科技有限公司。", &[
        "meets 孙海涛 苏州星澜电子有限公司 2024-03-08",
        "meets 孙海涛 无锡青禾生物科技有限公司 2024-03-08",
        "!post 孙海涛 县长 苏州市",
    ]);
}

#[test]
fn a_name_ends_where_the_next_word_begins() {
    check(
        "福田\n5月6日，区长赵明轩在星河科技有限公司调研。",
        &["post 赵明轩 区长 福田区", "!post 赵明轩在 区长 福田区"],
    );
    check(
        "福田\n5月6日，副区长钱立群等参加活动。",
        &["post 钱立群 副区长 福田区", "!post 钱立群等 副区长 福田区"],
    );
    check(
        "福田\n5月6日，区委书记孙海涛委托副区长钱立群出席。",
        &["post 孙海涛 区委书记 福田区"],
    );
}

#[test]
fn titles_after_names_and_in_lists() {
    check(
        "福田\n5月6日，王晓东副区长到星河科技有限公司调研。",
        &["post 王晓东 副区长 福田区"],
    );
    check(
        "福田\n5月6日，区委书记赵明轩、区长钱立群出席活动。",
        &["post 赵明轩 区委书记 福田区", "post 钱立群 区长 福田区"],
    );
}

#[test]
fn posts_beyond_party_and_government() {
    check("福田\n5月6日，区人民检察院检察长赵明轩、区人民法院院长钱立群、区纪委副书记孙海涛出席会议。", &[
        "post 赵明轩 检察长 区人民检察院",
        "post 钱立群 院长 区人民法院",
        "post 孙海涛 纪委副书记 福田区",
    ]);
    check("福田\n5月6日，区委统战部长赵明轩、区委办公室主任钱立群、市政府副秘书长孙海涛、区投资促进局副局长李明出席会议。", &[
        "post 赵明轩 统战部长 福田区",
        "post 钱立群 区委办公室主任 福田区",
        "post 孙海涛 市政府副秘书长 深圳市",
        "post 李明 副局长 区投资促进局",
        "!post 钱立群 公室主任 区委办",
        "!post 孙海涛 秘书长 市政府副",
    ]);
}

#[test]
fn projects_are_named_things_not_phrases() {
    check("福田\n区委书记赵明轩强调，要高度重视重点项目，全力支持项目建设，有力促进五个项目落地，推进大模型项目。", &[
        "!project 高度重视重点项目 福田区",
        "!project 全力支持项目 福田区",
        "!project 有力促进五个项目 福田区",
        "!project 五个项目 福田区",
        "!project 大模型项目 福田区",
    ]);
    check("福田\n5月6日，青禾纸业年产5万吨包装纸项目开工，河套深港科技创新合作区、前海中央商务区建设提速。", &[
        "project 青禾纸业年产5万吨包装纸项目 福田区",
    ]);
}

#[test]
fn day_only_entries_of_a_chronicle_take_its_months() {
    check("---\npublished: 2024-07-01\n---\n福田区大事记(2024年5月)\n4日 区委书记赵明轩出席星河科技有限公司揭牌仪式。\n6日 区长钱立群主持召开区政府常务会议。", &[
        "joins 赵明轩 2024-05-04 ceremony attendee",
        "joins 钱立群 2024-05-06 meeting chair",
    ]);
}

#[test]
fn a_zones_committee_signs_agreements() {
    check("---\npublished: 2024-05-12\n---\n5月10日，启东经济开发区管委会与星河科技有限公司签订投资协议，市委书记赵明轩出席。", &[
        "signs 启东经济开发区管委会 星河科技有限公司 2024-05-10",
        "meets 赵明轩 星河科技有限公司 2024-05-10",
    ]);
}

#[test]
fn a_visit_word_ends_the_company_visited() {
    check(
        "平江县\n5月18日，县委书记周华到星禾纸业调研。",
        &[
            "meets 周华 星禾纸业 2024-05-18",
            "!meets 周华 星禾纸业调研 2024-05-18",
        ],
    );
}

#[test]
fn a_post_taken_up_by_appointment_after_a_rank() {
    check(
        "盐田区\n会议宣布命令：原福田区人民武装部部长刘志平上校调任盐田区人民武装部部长。",
        &[
            "former 刘志平 人民武装部部长 福田区",
            "post 刘志平 人民武装部部长 盐田区",
        ],
    );
}

#[test]
fn a_name_does_not_start_inside_an_appointment_verb() {
    // 任 is a surname too: `调任丹巴区委副书记` names no 任丹巴.
    check(
        "丹巴\n3月4日，甘孜州召开领导干部会议。原康定区长凌强调任丹巴区委副书记、区长。",
        &[
            "former 凌强 区长 康定市",
            "!post 任丹巴 区委副书记 丹巴县",
            "!post 任丹巴 区长 丹巴县",
        ],
    );
}

#[test]
fn the_city_of_a_municipal_district_is_the_municipality() {
    check(
        "长宁区\n6月3日，市委统战部副部长、市工商联党组书记王小川出席长宁区民营经济座谈会。",
        &["post 王小川 市委统战部副部长 上海市"],
    );
}

#[test]
fn places_visited_are_not_companies() {
    check(
        "平江县\n5月18日，县长周华一行分别考察了江苏长兴县和深圳星河科技有限公司。",
        &[
            "meets 周华 深圳星河科技有限公司 2024-05-18",
            "!meets 周华 江苏长兴县 2024-05-18",
            "!org 江苏长兴县 Corporation",
        ],
    );
}

#[test]
fn a_word_after_a_name_that_leads_a_delegation_is_not_part_of_it() {
    check(
        "平江县\n3月8日至10日，平江县委书记周华率考察团赴浙江考察，先后考察了杭州星禾科技有限公司。",
        &[
            "post 周华 县委书记 平江县",
            "!post 周华率 县委书记 平江县",
            "meets 周华 杭州星禾科技有限公司 2024-03-08",
        ],
    );
}
