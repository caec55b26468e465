// The same generated groups (dates, NaN, -0, undefined, lone surrogates among plain JSON; refusals; every 17th group from a second connection) through
// two built checkouts' appenders: events, merkle_nodes and outcomes compared byte for byte (docs/speed.md, "Writes, the commit's SQL").
//   node scripts/ab/same-bytes-ab.cjs <dist dir A> <dist dir B>
const path=require('path'),fs=require('fs'),os=require('os')
const dir=fs.mkdtempSync(path.join(os.tmpdir(),'same-bytes-'))
const TEXTS=['','plain','ünïcödé 预算 €','quote " and \\ back','line\nbreak','😀 astral','__proto__','0.10','-0','\u0001ctl','\ud800lone']
const run=(root, seed)=>{
  const d=(p)=>require(path.join(root,p))
  const {openDatabase}=d('src/store/sqlite/sqlite-driver'),{applySchema}=d('src/store/sqlite/sqlite-schema'),{applyTreeSchema}=d('src/store/merkle/tree/sqlite-tree'),{SqliteAppender}=d('src/store/sqlite-write/sqlite-append')
  let s=seed; const r=()=>{s=(s+0x6d2b79f5)|0;let t=Math.imul(s^(s>>>15),1|s);t=(t+Math.imul(t^(t>>>7),61|t))^t;return((t^(t>>>14))>>>0)/4294967296}
  const value=(depth)=>{const k=Math.floor(r()*(depth>2?6:10));
    if(k===0)return TEXTS[Math.floor(r()*TEXTS.length)]; if(k===1)return Math.floor(r()*2e9)-1e9; if(k===2)return r()<0.5?null:r()<0.5
    if(k===3)return (r()*1e6).toFixed(2); if(k===4)return r()*1e-3; if(k===5)return [new Date(1e12),-0,NaN,1e21,undefined][Math.floor(r()*5)]
    if(k===6||k===7)return Array.from({length:Math.floor(r()*4)},()=>value(depth+1))
    const o={};for(let i=Math.floor(r()*5);i>0;i--)o[TEXTS[Math.floor(r()*TEXTS.length)]+i]=value(depth+1);return o}
  const file=path.join(dir,(root===path.resolve(process.argv[2])?'a':'b')+'-'+seed+'.db')
  const db=openDatabase(file);db.pragma('journal_mode = WAL');applySchema(db);applyTreeSchema(db)
  const a=new SqliteAppender(db); const other=openDatabase(file); const b=new SqliteAppender(other)
  const heads=new Map(); let ids=0; const outcomes=[]
  for(let g=0;g<300;g++){
    const batches=Array.from({length:1+Math.floor(r()*20)},()=>{const stream='s-'+Math.floor(r()*12); const wrong=r()<0.05
      return {stream,expected:wrong?(heads.get(stream)??-1)+3:(r()<0.3?'any':(heads.get(stream)??'no_stream')),events:Array.from({length:1+Math.floor(r()*3)},()=>({id:'e-'+(++ids),type:r()<0.5?'BudgetAdded':'ExpenditureRecorded',data:{amount:(r()*1e5).toFixed(2),note:value(0)},metadata:{recordedAt:'2026-11-29T09:00:00.000Z',actor:'gen',reason:TEXTS[Math.floor(r()*TEXTS.length)],document:r()<0.5?null:'财预〔2021〕1号'}}))}})
    const res=(g%17===16?b:a).appendGroup(batches)
    res.forEach((o,i)=>{outcomes.push(o.ok?o.result.revision+'@'+o.result.position:'refused');if(o.ok)heads.set(batches[i].stream,o.result.revision)})
  }
  const events=db.prepare('SELECT * FROM events ORDER BY position').all(), nodes=db.prepare('SELECT level, idx, hex(hash) h, position FROM merkle_nodes ORDER BY level, idx').all()
  other.close();db.close();return {events:JSON.stringify(events),nodes:JSON.stringify(nodes),outcomes:outcomes.join(','),n:events.length,m:nodes.length}
}
for (const seed of [1,2,3]){
  const A=run(path.resolve(process.argv[2]),seed), B=run(path.resolve(process.argv[3]),seed)
  console.log('seed',seed,'events',A.n,B.n,A.events===B.events?'same':'DIFFER','nodes',A.m,B.m,A.nodes===B.nodes?'same':'DIFFER','outcomes',A.outcomes===B.outcomes?'same':'DIFFER')
}
fs.rmSync(dir,{recursive:true,force:true})
