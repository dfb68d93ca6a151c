// "使用我的位置" on /points: the browser's location fills the nearest form and submits it.
(function () {
  var button = document.getElementById('locate-me');
  var form = document.getElementById('points-near');
  if (!button || !form || !navigator.geolocation) return;
  var status = document.getElementById('locate-status');
  button.hidden = false;
  button.addEventListener('click', function () {
    status.textContent = '正在获取您的位置…';
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.getElementById('near-lon').value = pos.coords.longitude.toFixed(6);
      document.getElementById('near-lat').value = pos.coords.latitude.toFixed(6);
      document.getElementById('near').value = '';
      form.submit();
    }, function () {
      status.textContent = '无法获取您的位置，请在上方输入所在街道或区县。';
    }, { timeout: 10000 });
  });
})();
