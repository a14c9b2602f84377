(function(){
  var st=window.__alliancesStatus;
  var D=JSON.parse(document.getElementById('graph-data').textContent);
  function el(tag,cls,text){var e=document.createElement(tag);if(cls)e.className=cls;
    if(text!==undefined)e.textContent=text;return e;}
  function tip(item){
    var lines=[item.label||item.facts[0]].concat(item.label?item.facts:item.facts.slice(1));
    if(item.sources.length){lines.push('sources:');
      item.sources.slice(0,6).forEach(function(id){var s=D.sources[id];
        lines.push('  '+s.title+(s.publisher?' ('+s.publisher+(s.date?', '+s.date:'')+')':'')+
          (s.url?'\n    '+s.url:''));});
      if(item.sources.length>6)lines.push('  … and '+(item.sources.length-6)+' more (click to list them)');}
    return lines.join('\n');}  // plain text: vis-network shows a string title with innerText
  function showInfo(item){
    var box=document.getElementById('info');box.textContent='';
    box.appendChild(el('strong',null,item.label||item.facts[0]));
    box.appendChild(el('div',null,(item.label?item.facts:item.facts.slice(1)).join('\n')));
    if(item.sources.length){box.appendChild(el('h2',null,'Sources'));
      item.sources.forEach(function(id){var s=D.sources[id],p=el('div','src');
        if(/^https?:\/\//i.test(s.url)){var a=el('a',null,s.title);a.href=s.url;a.target='_blank';
          a.rel='noopener noreferrer';p.appendChild(a);}else{p.appendChild(el('span',null,s.title));}
        var meta=[s.publisher,s.date].filter(Boolean).join(', ');
        if(meta)p.appendChild(el('span','note',' ('+meta+')'));box.appendChild(p);});}}
  var byId={},edgeById={};
  var nodes=D.nodes.map(function(n){byId[n.id]=n;return {id:n.id,label:n.label,shape:n.shape,value:n.size,
    color:{background:n.color,border:n.focus?'#111':'#333',highlight:{background:n.color,border:'#000'}},
    borderWidth:n.focus?4:1,title:tip(n),x:n.x,y:n.y};});
  var edges=D.edges.map(function(e){edgeById[e.id]=e;var o={id:e.id,from:e.from,to:e.to,width:e.width,
    dashes:e.dashes,color:{color:e.color,highlight:e.color,hover:e.color,opacity:0.85},title:tip(e)};
    if(e.smooth)o.smooth=e.smooth;
    if(e.mark)o.shadow={enabled:true,color:'rgba(214,39,40,0.85)',size:9,x:0,y:0};
    return o;});
  var big=nodes.length>500;
  var nodeSet=new vis.DataSet(nodes),edgeSet=new vis.DataSet(edges);
  var network=new vis.Network(document.getElementById('graph'),{nodes:nodeSet,edges:edgeSet},{
    layout:{randomSeed:D.seed,improvedLayout:nodes.length<=150},
    // labels grow with the node; below 9 px on screen they are not drawn, so a zoomed-out
    // map shows the largest nodes' labels only, and zooming in brings the others back
    nodes:{font:{size:13,face:'system-ui, sans-serif',strokeWidth:3,strokeColor:'#ffffff'},
      scaling:{min:10,max:40,label:{enabled:true,min:12,max:80,drawThreshold:8,maxVisible:24}}},
    // a big map opens zoomed out, where arrow heads (13,000 filled triangles a frame at 5,000
    // nodes) are a few pixels wide: they are drawn from ARROWS_AT up (see arrowsForZoom)
    edges:{arrows:{to:{enabled:!big,scaleFactor:0.5}},
      smooth:big?false:{enabled:true,type:'continuous',roundness:0.3},selectionWidth:2,
      hoverWidth:1.5},
    physics:{enabled:D.physics!==false,solver:'forceAtlas2Based',
      forceAtlas2Based:{gravitationalConstant:-60,centralGravity:0.008,springLength:110,
        springConstant:0.06,avoidOverlap:0.4,damping:0.5},
      minVelocity:1,stabilization:{enabled:true,iterations:nodes.length>1500?80:nodes.length>150?250:600,
        updateInterval:10,fit:true}},
    interaction:{hover:true,tooltipDelay:150,hideEdgesOnDrag:big,hideEdgesOnZoom:big,
      navigationButtons:false,keyboard:false}});
  var ARROWS_AT=0.5,arrowsOn=!big;
  function arrowsForZoom(){var on=network.getScale()>=ARROWS_AT;if(on===arrowsOn)return;arrowsOn=on;
    network.setOptions({edges:{arrows:{to:{enabled:on,scaleFactor:0.5}}}});}
  // checked after each frame: wheel, pinch, search (an animated focus) and fit all end in one
  if(big)network.on('afterDrawing',function(){setTimeout(arrowsForZoom,0);});
  var prog=document.getElementById('progress');
  network.on('stabilizationProgress',function(p){prog.textContent='laying out… '+
    Math.round(100*p.iterations/p.total)+'%';});
  var done=false;
  function finish(){if(done)return;done=true;
    if(D.physics!==false){network.setOptions({physics:{enabled:false}});network.fit({animation:false});}
    prog.textContent='';report();}
  network.once('stabilizationIterationsDone',finish);
  network.on('stabilized',finish);
  // laid out in Python: nothing to settle, and vis-network fitted the view when it took the
  // data; ready once that view is drawn (another fit or setOptions would draw it twice more)
  // frames drawn, kept in the status: a map laid out in Python draws one until someone moves it
  var draws=0;network.on('afterDrawing',function(){draws++;
    document.getElementById('status').setAttribute('data-draws',String(draws));});
  if(D.physics===false)network.once('afterDrawing',finish);
  // Physics on demand: a big map arrives laid out and still; the toggle lets it move
  var phys=el('label','row');var pcb=el('input');pcb.type='checkbox';pcb.id='physics';
  pcb.checked=false;phys.appendChild(pcb);phys.appendChild(document.createTextNode(' physics'));
  pcb.addEventListener('change',function(){network.setOptions({physics:{enabled:pcb.checked}});});
  network.on('click',function(p){
    if(p.nodes.length)showInfo(byId[p.nodes[0]]);
    else if(p.edges.length)showInfo(edgeById[p.edges[0]]);});
  // Legend
  var legend=document.getElementById('legend');
  legend.appendChild(phys);
  if(D.heat.length){legend.appendChild(el('h2',null,'Exposure to '+byId[D.focus].label));
    var bar=el('div','heat');bar.style.background='linear-gradient(to right,'+D.heat.join(',')+')';
    legend.appendChild(bar);var r=el('div','row note');r.style.justifyContent='space-between';
    r.appendChild(el('span',null,'0'));r.appendChild(el('span',null,'1 (depends fully)'));
    legend.appendChild(r);}
  legend.appendChild(el('h2',null,'Classes (shape'+(D.heat.length?')':' and colour)')));
  D.categories.forEach(function(c){var r=el('div','row');var s=el('span','sw '+c.shape);
    s.style.background=D.heat.length?'#9aa5b1':c.color;r.appendChild(s);r.appendChild(el('span',null,c.name));
    legend.appendChild(r);});
  legend.appendChild(el('h2',null,D.kindsTitle||'Edge kinds (filter)'));
  var hiddenKinds={};
  D.kinds.forEach(function(k){var r=el('label','row');var cb=el('input');cb.type='checkbox';cb.checked=true;
    cb.setAttribute('data-kind',k.name);
    cb.addEventListener('change',function(){hiddenKinds[k.name]=!cb.checked;
      edgeSet.update(D.edges.filter(function(e){return e.kinds.indexOf(k.name)>=0;}).map(function(e){
        return {id:e.id,hidden:e.kinds.every(function(x){return hiddenKinds[x];})};}));});
    var s=el('span','line');s.style.borderColor=k.color;r.appendChild(cb);r.appendChild(s);
    r.appendChild(el('span',null,k.name));legend.appendChild(r);});
  legend.appendChild(el('div','note',D.note||('Arrows point from the dependent to its dependency'+(big?' (zoom in to see them)':'')+'; '+
    'width = weight; dashed = estimated; node size = criticality.')));
  if(D.cycles&&D.cycles.length){legend.appendChild(el('h2',null,D.cyclesTitle||'Cycles'));
    D.cycles.forEach(function(c){var r=el('div','row note',c.label);r.style.cursor='pointer';
      r.setAttribute('data-cycle',String(c.rank));
      r.addEventListener('click',function(){network.setSelection({nodes:c.nodes,edges:c.edges});
        showInfo({label:c.label,facts:c.facts,sources:c.sources});});
      legend.appendChild(r);});}
  // Search by label
  var list=document.getElementById('labels'),seen={};
  D.nodes.map(function(n){return n.label;}).sort().forEach(function(l){if(seen[l])return;seen[l]=1;
    var o=el('option');o.value=l;list.appendChild(o);});
  var search=document.getElementById('search'),found=document.getElementById('found');
  function find(){var q=search.value.trim().toLowerCase();
    if(!q){found.textContent='';network.unselectAll();return;}
    var hits=D.nodes.filter(function(n){return n.label.toLowerCase().indexOf(q)>=0;});
    hits.sort(function(a,b){return (a.label.toLowerCase()===q?0:1)-(b.label.toLowerCase()===q?0:1);});
    found.textContent=hits.length+' found';
    network.selectNodes(hits.map(function(n){return n.id;}));
    if(hits.length){network.focus(hits[0].id,{scale:1.2,animation:{duration:400}});showInfo(hits[0]);}}
  search.addEventListener('change',find);
  search.addEventListener('keydown',function(e){if(e.key==='Enter')find();});
  function report(){var out=document.getElementById('status');
    out.setAttribute('data-nodes',String(Object.keys(network.getPositions()).length));
    out.setAttribute('data-edges',String(edgeSet.length));
    out.setAttribute('data-errors',String(st.errors.length));
    out.setAttribute('data-injected',window.__alliancesPwned?'1':'0');
    out.setAttribute('data-images',String(document.getElementsByTagName('img').length));
    out.textContent=st.errors.join('\n');out.setAttribute('data-ms',String(Date.now()-st.t0));
    out.setAttribute('data-state','ready');}
  window.__alliancesNetwork=network;
  if(!nodes.length)finish();
  setTimeout(finish,60000);
})();
