import sentencepiece as spm, json, os, random, unicodedata
# the golden spm_tiny model the repository carries (testdata/golden, five levels above this folder)
GOLDEN_SPM=os.path.join(os.path.dirname(os.path.abspath(__file__)),'..','..','..','..','..','testdata','golden','spm_tiny','spiece')
random.seed(7)
corpus=open('corpus.txt',encoding='utf-8').read().split('\n')
special=[' ','  ','\t','\n','\r\n','\u00a0','\u3000','\u2009','\u200b','\u200d','\ufeff','▁','▁▁','</s>','<unk>','<pad>','<s>','<extra_id_0>','[X]','<ctl>',
 'e\u0301','A\u030a','Ａ\u0301','ﬁ','ﬁ\u0301','½','¨','¨a','\u00a8\u0301','…','™','①','ｶﾞ','ｱ\u3099','가','\u1100\u1161','😀','👍🏽','❤️','👨‍👩‍👧','\u0000','\u0007','\x1e','\x7f','\u0085','\u2028',
 '中文','日本語','한국어','Ωμέγα','привет','עברית','العربية','हिन्दी','ไทย','İ','ß','ǅ','ﬀ','𝐀𝐁','\U0001F1FA\U0001F1F8','\u0301','\u0301\u0301','x\u0308\u0301', 'Ⅻ','㍻','ℌ','ｈｅｌｌｏ','“','”','—','–','\\','"',"'",'.', ',', '!','?','4k','1080p','2,000']
texts=[]
for i in range(1500):
    r=random.random()
    if r<0.4:
        t=random.choice(corpus)
    elif r<0.8:
        parts=[]
        for _ in range(random.randint(1,12)):
            parts.append(random.choice(special) if random.random()<0.5 else random.choice(random.choice(corpus).split(' ') or ['x']))
        t=''.join(random.choice(['',' ','  ']) + p for p in parts)
    else:
        t=''.join(chr(random.choice([random.randint(32,126),random.randint(0xa0,0x2fff),random.randint(0x3000,0x9fff),random.randint(0x1f300,0x1f6ff),0x20,0x20,0x2581])) for _ in range(random.randint(0,30)))
    texts.append(t)
texts += ['', ' ', '   ', '▁', ' ▁ ', 'a▁', '▁a', 'a ▁', '\t\n', 'x'*300, ' '.join(random.choice(corpus) for _ in range(60))]
out={}
for m in ['t5like','identity','nfkccf',GOLDEN_SPM]:
    sp=spm.SentencePieceProcessor(model_file=m+'.model')
    out[m+'.model']=[{'text':t,'ids':sp.encode(t),'pieces':sp.encode(t,out_type=str)} for t in texts]
json.dump(out,open('fuzz.json','w'),ensure_ascii=False)
print(len(texts))
