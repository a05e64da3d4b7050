// Builds corpus.jsonl: one JSON string per line, so lines may hold \n, \r and \t.
// Deterministic (fixed-seed PRNG); rerun with `node build-corpus.mjs` after editing the fragments below.
// Avoids U+0085, U+FEFF and U+017F: JavaScript's \s and case folding differ from Oniguruma's on exactly those,
// so the JS reference would disagree with Hugging Face there (see Cl100kPreTokenizer).
import { writeFileSync } from "node:fs";

let seed = 20240726;
const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
const pick = (a) => a[Math.floor(rand() * a.length)];

const korean = [
  "금융실명제는 1993년에 도입되었다.",
  "한국은행은 기준금리를 연 3.50%로 동결했다.",
  "코스피 지수는 전 거래일보다 1.2% 오른 2,650.33에 마감했다.",
  "외국인 투자자는 삼성전자 주식을 3거래일 연속 순매수했다.",
  "금융위원회는 가계부채 관리 방안을 발표했다.",
  "원·달러 환율은 1,385.5원으로 상승 마감했다.",
  "예금자보호법에 따라 1인당 5천만 원까지 보호된다.",
  "주택담보대출 금리가 3개월 만에 하락세로 돌아섰다.",
  "국민연금공단은 해외 대체투자 비중을 확대할 계획이다.",
  "증권사 신용융자 잔고가 20조 원을 넘어섰다.",
  "금융감독원은 불완전판매에 대한 제재를 강화했다.",
  "이번 분기 순이자마진(NIM)은 1.68%를 기록했다.",
  "채권 시장에서 국고채 3년물 금리는 연 3.285%였다.",
  "자본시장법 개정안이 국회 본회의를 통과했다.",
  "스트레스 총부채원리금상환비율(DSR) 2단계가 시행된다.",
  "지난해 4분기 GDP 성장률은 전기 대비 0.6%였다.",
  "은행권 연체율은 0.5%대로 소폭 상승했다.",
  "공매도 전면 금지 조치는 2024년 6월까지 유지된다.",
  "가상자산 이용자 보호법이 7월 19일부터 시행됐다.",
  "외환보유액은 4,192억 달러로 집계됐다.",
  "대출 만기 연장과 상환 유예 조치가 종료되었습니다.",
  "저축은행 부동산 PF 대출의 건전성이 악화하고 있습니다.",
  "신용등급이 AA-에서 A+로 한 단계 하향 조정됐다.",
  "배당소득세는 15.4%가 원천징수됩니다.",
  "ISA 계좌의 비과세 한도는 200만 원입니다.",
  "전세사기 피해자 지원 특별법 시행령이 의결됐다.",
  "이 상품은 원금 손실이 발생할 수 있습니다.",
  "회사채 발행 규모가 전년 동기 대비 32% 늘었다.",
  "뱅크런 우려에 예금 인출이 급증했다는 보도가 나왔다.",
  "금리 인하 기대감에 장기채 ETF로 자금이 몰렸다.",
];
const english = [
  "The Federal Reserve held rates steady at 5.25%–5.50%.",
  "Net interest income rose 12% year over year to $23.1 billion.",
  "Don't panic: it's only a 2% drawdown, and we'll recover.",
  "I'm sure they've read the prospectus; you'd think so, wouldn't you?",
  "SHE'LL SAY IT'S FINE. They'RE WRONG. We'VE SEEN IT'D FAIL.",
  "The quick brown fox jumps over the lazy dog.",
  "Revenue: Q1 1,234,567.89 USD; Q2 2,345,678.90 USD.",
  "Call +1 (555) 010-9999 or e-mail invest@example.com before 5 p.m.",
  "Basel III requires a CET1 ratio of at least 4.5%.",
  "Version 3.1.0-rc.2 fixes CVE-2024-12345.",
  "He said, \"Buy low, sell high\" — easier said than done...",
  "Mr. O'Neil's portfolio isn't diversified enough.",
  "Rock 'n' roll, y'all, 'tis the season; 'twas brillig.",
  "The EUR/USD pair traded at 1.0845 on 2024-03-15T09:30:00Z.",
  "Fees (0.25% p.a.) are deducted monthly [see §4.2].",
];
const other = [
  "Việt Nam là một quốc gia ở Đông Nam Á.",
  "日本銀行は金融緩和を継続すると発表した。",
  "中国人民银行下调存款准备金率0.5个百分点。",
  "Банк России сохранил ключевую ставку 16%.",
  "البنك المركزي يرفع سعر الفائدة إلى ٥٫٥٪",
  "भारतीय रिज़र्व बैंक ने रेपो दर ६.५% पर रखी।",
  "ธนาคารแห่งประเทศไทยคงอัตราดอกเบี้ยนโยบาย",
  "Ελληνικά: Η Τράπεζα της Ελλάδος ανακοίνωσε.",
  "Straße, Ärger, Öl, Übermut — ß and ẞ.",
  "𝐁𝐨𝐥𝐝 𝑰𝒕𝒂𝒍𝒊𝒄 and 𠀀𠀁𠀂 CJK Ext-B 𪚥",
  "ｆｕｌｌｗｉｄｔｈ ＡＢＣ １２３ ＄",
  "Ⅻ ½ ¾ ² ³ ① ② 〇",
];
const emoji = ["😀", "🚀📈", "👍🏽", "👨‍👩‍👧‍👦", "🇰🇷", "💰💸", "❤️", "✅", "🤖🏦", "™", "©️", "🔥"];
const code = [
  "def f(x):\n    return x ** 2  # square\n",
  "for (int i = 0; i < n; ++i) { sum += a[i]; }",
  "const xs = [1, 2, 3].map((v) => v * 2);\n\tconsole.log(xs);",
  "SELECT account_id, SUM(amount) FROM ledger WHERE ts >= '2024-01-01' GROUP BY 1;",
  "if err != nil {\n\t\treturn fmt.Errorf(\"read: %w\", err)\n\t}",
  "<div class=\"note\">&lt;b&gt;bold&lt;/b&gt;</div>",
  "public sealed class Ledger { public decimal Balance { get; init; } }",
  "x=>x+1;y==z!=w<=v>=u&&t||s",
  "#include <stdio.h>\r\nint main(void) { puts(\"hi\"); }\r\n",
  "{\"amount\": 1e-7, \"currency\": \"KRW\", \"ok\": true}",
  "$ curl -s http://localhost:8080/v1/models | jq '.data[].id'",
  "    indented with four spaces\n        and eight\n",
];
const specials = [
  "<|begin_of_text|>",
  "<|end_of_text|>",
  "<|start_header_id|>user<|end_header_id|>\n\n",
  "<|eot_id|>",
  "<|eom_id|>",
  "<|python_tag|>",
  "<|reserved_special_token_5|>",
  "<s>",
  "</s>",
  "<unk>",
  "<|not_a_special|>",
  "< |eot_id| >",
];
const spaces = [" ", "  ", "   ", "\t", "\n", "\n\n", "\r\n", " \n ", "\u3000", "\u00a0", "          ", " \t \n\n  \r\n\t"];
const numbers = () => {
  const n = Math.floor(rand() * 1e9);
  return pick([
    String(n),
    n.toLocaleString("en-US"),
    `${(n / 1000).toFixed(3)}`,
    `${2000 + Math.floor(rand() * 30)}-${String(1 + Math.floor(rand() * 12)).padStart(2, "0")}-${String(1 + Math.floor(rand() * 28)).padStart(2, "0")}`,
    `${2000 + Math.floor(rand() * 30)}년 ${1 + Math.floor(rand() * 12)}월 ${1 + Math.floor(rand() * 28)}일`,
    `${(rand() * 10).toFixed(2)}%`,
    `₩${n.toLocaleString("en-US")}`,
    `${n}${n}${n}`,
  ]);
};

const lines = [];
const push = (s) => { if (s.length > 0) lines.push(s); };
for (const group of [korean, english, other, emoji, code, specials, spaces]) group.forEach(push);

// Fixed edge cases.
[
  "a", " ", "  a", "a  ", " a ", "'s", "'S", "'sam", "''s", "x's", "X'LL", "'re'", "' s",
  "1", "12", "123", "1234", "12345", "1234567", "0.5", "-42", "٣٤٥", "१२३४",
  "9".repeat(100), " ".repeat(100), "\n".repeat(20), "ab".repeat(200), "가".repeat(50),
  "hello\n\nworld", "hello \n world", "end with spaces   ", "   start with spaces",
  "tab\tseparated\tvalues", "CR\ronly", "mixed\r\n\r\nlines", "!!!???...", " (x)", " ((x))", "a\u00a0b",
  "emoji😀inside", "😀 😀  😀", "word😀", "😀word", "키움증권😀", "1😀2",
  "<|eot_id|><|eot_id|>", "text<|eot_id|>text", " <|eot_id|> ", "<|begin_of_text|>Hello",
].forEach(push);

// Sentences in combination: mixed scripts, numbers, emoji, whitespace and special tokens between them.
const parts = [korean, korean, english, other, code, emoji];
while (lines.length < 2200) {
  const k = 1 + Math.floor(rand() * 4);
  let s = "";
  for (let i = 0; i < k; i++) {
    const r = rand();
    if (r < 0.55) s += pick(pick(parts));
    else if (r < 0.7) s += numbers();
    else if (r < 0.8) s += pick(emoji);
    else if (r < 0.9) s += pick(specials);
    else s += pick(spaces);
    s += rand() < 0.7 ? " " : pick(spaces);
  }
  push(rand() < 0.5 ? s.trimEnd() : s);
}

writeFileSync(new URL("./corpus.jsonl", import.meta.url), lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
console.log(`corpus.jsonl: ${lines.length} lines`);
