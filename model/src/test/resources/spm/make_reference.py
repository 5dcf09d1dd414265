"""Regenerates model/src/test/resources/spm/: three small unigram models trained with sentencepiece 0.2.2 in
different configurations, and reference encodings of adversarial texts (whitespace, NFKC rules, combining marks,
control pieces typed as text, emoji, exact score ties). Needs `pip install sentencepiece==0.2.2`.
Usage: python3 make_reference.py OUT_DIR (reads corpus.txt and the fuzz texts from fuzz.json next to it)."""
import json, random, shutil, sys
import sentencepiece as spm
out = sys.argv[1]
texts = [c['text'] for c in json.load(open('fuzz.json', encoding='utf-8'))['t5like.model']]
random.seed(3)
picked = texts[-11:] + random.sample(texts[:-11], 289)
cases = {}
for name in ['t5like', 'identity', 'nfkccf']:
    shutil.copy(name + '.model', f'{out}/{name}.model')
    sp = spm.SentencePieceProcessor(model_file=name + '.model')
    cases[name + '.model'] = [{'text': t, 'ids': sp.encode(t), 'pieces': sp.encode(t, out_type=str)} for t in picked]
json.dump({'sentencepiece': spm.__version__, 'models': cases}, open(f'{out}/reference.json', 'w', encoding='utf-8'),
          ensure_ascii=False, separators=(',', ':'))
