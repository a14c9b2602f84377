(function(){
  var st={errors:[],t0:Date.now()};window.__alliancesStatus=st;
  window.addEventListener('error',function(e){st.errors.push('error: '+(e.message||e.type));},true);
  window.addEventListener('unhandledrejection',function(e){st.errors.push('rejection: '+e.reason);});
  document.addEventListener('securitypolicyviolation',function(e){
    st.errors.push('blocked: '+e.violatedDirective+' '+e.blockedURI);});
  var ce=console.error;console.error=function(){
    st.errors.push('console: '+Array.prototype.join.call(arguments,' '));return ce.apply(console,arguments);};
})();
