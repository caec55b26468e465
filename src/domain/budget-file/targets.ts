import * as t from 'io-ts'
import { Bounded, NonEmpty } from '../codecs/primitives'
import { strict } from '../codecs/strict'

/** 指标值类型: a comparison, a direction (↑ rise by, ↓ fall by), or 定性 (qualitative). */
export const TargetOperator = t.keyof({ '≥': null, '≤': null, '=': null, '↑': null, '↓': null, 定性: null }, 'TargetOperator')
export type TargetOperator = t.TypeOf<typeof TargetOperator>

const Text = Bounded(0, 4000, 'text of at most 4000 characters')

/** One row of the 部门整体绩效目标 grid (一级 / 二级 / 三级指标). Empty levels are merged cells. */
export const UnitIndicator = strict({
  level1: Text,
  level2: Text,
  level3: NonEmpty,
  operator: TargetOperator,
  value: Bounded(1, 200),
  unit: Bounded(0, 20),
  explanation: Text,
})
export type UnitIndicator = t.TypeOf<typeof UnitIndicator>

export const UnitTask = strict({ name: NonEmpty, content: NonEmpty })
export type UnitTask = t.TypeOf<typeof UnitTask>

export const TargetCategory = t.keyof({ output: null, effect: null, satisfaction: null }, 'TargetCategory')
export type TargetCategory = t.TypeOf<typeof TargetCategory>

/** A project's 产出 / 效益 / 满意度 indicator, e.g. "全年开展安全生产指导、检查次数 ≥12次". */
export const ProjectTarget = strict({
  category: TargetCategory,
  name: NonEmpty,
  operator: TargetOperator,
  value: Bounded(1, 200),
  unit: Bounded(0, 20),
})
export type ProjectTarget = t.TypeOf<typeof ProjectTarget>

/** How a target value is printed: "≥12次", or the bare value when qualitative. */
export const formatTargetValue = (x: { operator: TargetOperator; value: string; unit: string }): string =>
  x.operator === '定性' ? x.value : `${x.operator}${x.value}${x.unit}`
