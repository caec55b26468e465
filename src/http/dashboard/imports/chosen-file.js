/* The file a person chose for an import, if it is of a kind the import takes; otherwise null, and why said. */
import { fileTypeOf } from '../core/api.js'

/** kinds: { mediaType: '.ext' } the import takes; what: the file's name for people (预算文件); say: shows a line. */
export const chosenFile = (input, kinds, what, say) => {
  const file = input.files[0]
  if (!file) say('请先选择' + what + '。')
  else if (!(fileTypeOf(file) in kinds)) say('只能导入 ' + Object.values(kinds).join(' 或 ') + ' ' + what + '：' + file.name)
  else return file
  return null
}
