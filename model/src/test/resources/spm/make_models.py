import sentencepiece as spm, glob, io, os, random
# the repository's own markdown (docs and the golden README) joins the corpus; the shipped models were trained
# on the docs as they were then, so a rerun gives similar, not identical, models
REPO=os.path.join(os.path.dirname(os.path.abspath(__file__)),'..','..','..','..','..')
random.seed(1)
lines=[]
for f in sorted(glob.glob('/usr/share/doc/**/*', recursive=True))[:4000]:
    try:
        if f.endswith(('.gz','.png','.jpg')): continue
        with open(f, encoding='utf-8') as fh: lines += [l.strip() for l in fh if l.strip()]
    except Exception: pass
for f in sorted(glob.glob(os.path.join(REPO,'**','*.md'), recursive=True)):
    lines += [l.strip() for l in open(f, encoding='utf-8') if l.strip()]
lines += ["Ünïcödé café naïve résumé Ångström — “quotes” ½ ﬁne ｆｕｌｌ 中文字符 日本語のテキスト 한국어 텍스트 😀👍🏽"]*20
random.shuffle(lines)
print(len(lines))
open('corpus.txt','w').write('\n'.join(lines[:60000]))
common=dict(input='corpus.txt', model_type='unigram', character_coverage=0.9995, pad_id=0, eos_id=1, unk_id=2, bos_id=-1, minloglevel=2)
spm.SentencePieceTrainer.train(model_prefix='t5like', vocab_size=3000, normalization_rule_name='nmt_nfkc', **common)
spm.SentencePieceTrainer.train(model_prefix='identity', vocab_size=1500, normalization_rule_name='identity',
    remove_extra_whitespaces=False, add_dummy_prefix=False, user_defined_symbols=['<extra_id_0>','[X]','ab'], control_symbols=['<ctl>'], **common)
spm.SentencePieceTrainer.train(model_prefix='nfkccf', vocab_size=1000, normalization_rule_name='nfkc_cf', split_by_whitespace=False, **common)
