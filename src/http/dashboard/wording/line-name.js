/* A budget line as a person knows it: its project name (or 基本支出 part) and function code; every screen names lines so. */
const BASIC = { personnel: '基本支出·人员经费', operating: '基本支出·公用经费' }

export const lineName = (l) => (l.projectName || BASIC[l.basicCategory] || l.line) + '（' + l.functionCode + '）'
