/**
 * The one vocabulary people read for how an indicator or a project target stands against its
 * target: the CLI's text prints it, and the JSON carries it as `statusLabel` so the dashboard shows
 * the same words without a copy of its own. Programs compare the `status` codes, never these.
 */
export const STATUS_LABELS = {
  met: '达标',
  'not met': '未达标',
  'not applicable': '不适用',
  'no target': '无可比目标',
  'not recorded': '未填报',
  'not comparable': '需人工判断',
} as const

export type StatusCode = keyof typeof STATUS_LABELS

export const statusLabel = (status: StatusCode): string => STATUS_LABELS[status]
