<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AmendDialog</name>
    <message>
        <source>更正巡查记录</source>
        <translation>Correct patrol record</translation>
    </message>
    <message>
        <source>已结束的巡查记录只读。更正将连同更正人、时间、原值、新值和理由一并记录，不可撤销。</source>
        <translation>A finished patrol record is read-only. A correction is recorded together with who made it, when, the old value, the new value and the reason, and cannot be undone.</translation>
    </message>
    <message>
        <source>更正字段</source>
        <translation>Field to correct</translation>
    </message>
    <message>
        <source>更正字段(&amp;F)：</source>
        <translation>&amp;Field:</translation>
    </message>
    <message>
        <source>原值：</source>
        <translation>Old value:</translation>
    </message>
    <message>
        <source>新值</source>
        <translation>New value</translation>
    </message>
    <message>
        <source>新值(&amp;V)：</source>
        <translation>New &amp;value:</translation>
    </message>
    <message>
        <source>更正理由</source>
        <translation>Reason for the correction</translation>
    </message>
    <message>
        <source>更正理由(&amp;R)：</source>
        <translation>&amp;Reason:</translation>
    </message>
    <message>
        <source>提交更正</source>
        <translation>Submit correction</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>巡查类型</source>
        <translation>Patrol type</translation>
    </message>
    <message>
        <source>协作片区</source>
        <translation>Cooperation cluster</translation>
    </message>
    <message>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>计划开始时间</source>
        <translation>Planned start</translation>
    </message>
    <message>
        <source>计划结束时间</source>
        <translation>Planned end</translation>
    </message>
    <message>
        <source>实际开始时间</source>
        <translation>Actual start</translation>
    </message>
    <message>
        <source>实际结束时间</source>
        <translation>Actual end</translation>
    </message>
    <message>
        <source>巡查区域</source>
        <translation>Patrol area</translation>
    </message>
    <message>
        <source>巡查路线</source>
        <translation>Patrol route</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>发现问题</source>
        <translation>Problems found</translation>
    </message>
</context>
<context>
    <name>BulletinDialog</name>
    <message>
        <source>生成通报</source>
        <translation>Make bulletin</translation>
    </message>
    <message>
        <source>{0}，{1}：按当前统计数字生成专项通报。</source>
        <translation>{0}, {1}: a bulletin of the figures now on screen.</translation>
    </message>
    <message>
        <source>草稿（不编号，每页标“草稿”）</source>
        <translation>Draft (no number, every page marked 草稿)</translation>
    </message>
    <message>
        <source>正式签发（占用本单位下一个“通”字文号）</source>
        <translation>Issue (takes the agency's next 通 document number)</translation>
    </message>
    <message>
        <source>通报类型</source>
        <translation>Bulletin kind</translation>
    </message>
    <message>
        <source>类型(&amp;T)：</source>
        <translation>&amp;Type:</translation>
    </message>
    <message>
        <source>通报文件</source>
        <translation>Bulletin file</translation>
    </message>
    <message>
        <source>浏览(&amp;B)…</source>
        <translation>&amp;Browse…</translation>
    </message>
    <message>
        <source>通报文件(&amp;F)：</source>
        <translation>Bulletin &amp;file:</translation>
    </message>
    <message>
        <source>同时导出 CSV 表格(&amp;C)</source>
        <translation>Also export the tables as &amp;CSV</translation>
    </message>
    <message>
        <source>同时导出 Excel 表格(&amp;X)</source>
        <translation>Also export the tables as E&amp;xcel</translation>
    </message>
    <message>
        <source>生成</source>
        <translation>Make</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>保存通报</source>
        <translation>Save bulletin</translation>
    </message>
    <message>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <source>文件夹不存在：{0}</source>
        <translation>The folder does not exist: {0}</translation>
    </message>
    <message>
        <source>这是一个文件夹，请写文件名：{0}</source>
        <translation>This is a folder; please give a file name: {0}</translation>
    </message>
    <message>
        <source>以下文件已存在，是否覆盖？
{0}</source>
        <translation>These files exist already. Replace them?
{0}</translation>
    </message>
</context>
<context>
    <name>CardBar</name>
    <message>
        <source>导入照片(&amp;M)</source>
        <extracomment>How often the mount points are looked at (a listing of two or three folders).</extracomment>
        <translation>I&amp;mport photos</translation>
    </message>
    <message>
        <source>导入相机存储卡中的照片</source>
        <translation>Import the photos on the camera card</translation>
    </message>
    <message>
        <source>忽略</source>
        <translation>Ignore</translation>
    </message>
    <message>
        <source>发现相机存储卡“{0}”，其中有 {1} 个照片或录音录像文件。</source>
        <translation>Camera card “{0}” found, with {1} photo or recording files.</translation>
    </message>
</context>
<context>
    <name>CaseEditor</name>
    <message>
        <source>普通号牌</source>
        <translation>Ordinary plate</translation>
    </message>
    <message>
        <source>小型新能源号牌</source>
        <translation>Small new-energy plate</translation>
    </message>
    <message>
        <source>大型新能源号牌</source>
        <translation>Large new-energy plate</translation>
    </message>
    <message>
        <source>警用号牌</source>
        <translation>Police plate</translation>
    </message>
    <message>
        <source>教练车号牌</source>
        <translation>Driving-school plate</translation>
    </message>
    <message>
        <source>挂车号牌</source>
        <translation>Trailer plate</translation>
    </message>
    <message>
        <source>领馆号牌</source>
        <translation>Consulate plate</translation>
    </message>
    <message>
        <source>港籍号牌</source>
        <translation>Hong Kong plate</translation>
    </message>
    <message>
        <source>澳籍号牌</source>
        <translation>Macau plate</translation>
    </message>
    <message>
        <source>违反：</source>
        <translation>Violates: </translation>
    </message>
    <message>
        <source>处罚依据：</source>
        <translation>Penalty basis: </translation>
    </message>
    <message>
        <source>罚款：</source>
        <translation>Fine: </translation>
    </message>
    <message>
        <source>罚款：{0}–{1}元</source>
        <translation>Fine: {0}–{1} yuan</translation>
    </message>
    <message>
        <source>适用{0}的地方性法规</source>
        <translation>Local regulations of {0} apply</translation>
    </message>
    <message>
        <source>法律依据未经核实：{0}。签发文书前须对照公布的条文核实。</source>
        <translation>Legal basis not verified: {0}. Check it against the published text before issuing a document.</translation>
    </message>
    <message>
        <source>北纬</source>
        <translation>N</translation>
    </message>
    <message>
        <source>南纬</source>
        <translation>S</translation>
    </message>
    <message>
        <source>东经</source>
        <translation>E</translation>
    </message>
    <message>
        <source>西经</source>
        <translation>W</translation>
    </message>
</context>
<context>
    <name>CaseEditorDialog</name>
    <message>
        <source>登记案件</source>
        <translation>Register case</translation>
    </message>
    <message>
        <source>登记(&amp;R)</source>
        <translation>&amp;Register</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>违法类型</source>
        <translation>Violation type</translation>
    </message>
    <message>
        <source>地点与情况</source>
        <translation>Place and circumstances</translation>
    </message>
    <message>
        <source>如：吴江区黎里镇汾湖岸边滩地</source>
        <translation>e.g. the Fenhu lakeshore flats, Lili town, Wujiang district</translation>
    </message>
    <message>
        <source>现场情况：规模、痕迹、线索…</source>
        <translation>What was found: scale, traces, leads…</translation>
    </message>
    <message>
        <source>按巡查筛选证据</source>
        <translation>Filter evidence by patrol</translation>
    </message>
    <message>
        <source>全部巡查</source>
        <translation>All patrols</translation>
    </message>
    <message>
        <source>选择证据照片</source>
        <translation>Choose evidence photos</translation>
    </message>
    <message>
        <source>当事人类型</source>
        <translation>Party type</translation>
    </message>
    <message>
        <source>违法行为(&amp;V)</source>
        <translation>&amp;Violation</translation>
    </message>
    <message>
        <source>请选择违法类型</source>
        <translation>Choose the violation type</translation>
    </message>
    <message>
        <source>地点(&amp;L)</source>
        <translation>P&amp;lace</translation>
    </message>
    <message>
        <source>情况描述(&amp;D)</source>
        <translation>&amp;Description</translation>
    </message>
    <message>
        <source>证据照片（勾选）(&amp;E)</source>
        <translation>&amp;Evidence photos (tick)</translation>
    </message>
    <message>
        <source>当事人与涉案车辆</source>
        <translation>Parties and vehicles</translation>
    </message>
    <message>
        <source>类型(&amp;K)</source>
        <translation>&amp;Kind</translation>
    </message>
    <message>
        <source>添加当事人(&amp;A)</source>
        <translation>&amp;Add party</translation>
    </message>
    <message>
        <source>已添加的当事人</source>
        <translation>Parties added</translation>
    </message>
    <message>
        <source>不添加当事人时，文书中当事人记为“待查”。</source>
        <translation>With no party added, documents print the party as “to be identified” (待查).</translation>
    </message>
    <message>
        <source>移除所选</source>
        <translation>Remove selected</translation>
    </message>
    <message>
        <source>涉案车辆号牌（线索）</source>
        <translation>Plates of vehicles involved (clues)</translation>
    </message>
    <message>
        <source>移除车辆</source>
        <translation>Remove vehicle</translation>
    </message>
    <message>
        <source>已选 {0} 张</source>
        <translation>{0} selected</translation>
    </message>
    <message>
        <source>管辖未知</source>
        <translation>jurisdiction unknown</translation>
    </message>
    <message>
        <source>请选择违法类型。</source>
        <translation>Please choose the violation type.</translation>
    </message>
    <message>
        <source>姓名(&amp;N)</source>
        <translation>&amp;Name</translation>
    </message>
    <message>
        <source>居民身份证号(&amp;I)</source>
        <translation>Resident &amp;ID number</translation>
    </message>
    <message>
        <source>单位名称(&amp;N)</source>
        <translation>Organisation &amp;name</translation>
    </message>
    <message>
        <source>统一社会信用代码(&amp;I)</source>
        <translation>Unified social cred&amp;it code</translation>
    </message>
    <message>
        <source>车辆号牌有误，请更正或清空后再登记。</source>
        <translation>The plate is invalid; correct or clear it before recording.</translation>
    </message>
    <message>
        <source>（未填）</source>
        <translation>(not filled in)</translation>
    </message>
    <message>
        <source>时间未知</source>
        <translation>time unknown</translation>
    </message>
    <message>
        <source>；发现时间 {0}，管辖 {1}（取自 {2}）</source>
        <translation>; found {0}, jurisdiction {1} (from {2})</translation>
    </message>
    <message>
        <source>（早期代码可能如此，仅作提示，可以登记）</source>
        <translation>(older codes may look like this; a hint only, the case can be registered)</translation>
    </message>
    <message>
        <source>号码有效：</source>
        <translation>Number valid: </translation>
    </message>
    <message>
        <source>请填写名称。</source>
        <translation>Please enter the name.</translation>
    </message>
    <message>
        <source>如 苏E5K218</source>
        <translation>e.g. 苏E5K218</translation>
    </message>
    <message>
        <source>车辆号牌</source>
        <translation>Vehicle plate</translation>
    </message>
    <message>
        <source>车辆说明，如 自卸货车（可不填）</source>
        <translation>Vehicle, e.g. dump truck (optional)</translation>
    </message>
    <message>
        <source>添加车辆(&amp;P)</source>
        <translation>Add vehicle (&amp;P)</translation>
    </message>
    <message>
        <source>车辆号牌(&amp;B)</source>
        <translation>Vehicle plate (&amp;B)</translation>
    </message>
    <message>
        <source>车辆号牌是线索，不作为当事人。</source>
        <translation>A plate is a clue, never the party.</translation>
    </message>
    <message>
        <source>当事人信息有误，请更正或清空后再登记。</source>
        <translation>The party details are wrong: correct or clear them before registering.</translation>
    </message>
    <message>
        <source>自然人</source>
        <translation>Person</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>居民身份证号</source>
        <translation>Resident ID number</translation>
    </message>
    <message>
        <source>18位，如 11010519491231002X</source>
        <translation>18 characters, e.g. 11010519491231002X</translation>
    </message>
    <message>
        <source>单位名称</source>
        <translation>Organisation name</translation>
    </message>
    <message>
        <source>统一社会信用代码</source>
        <translation>Unified social credit code</translation>
    </message>
    <message>
        <source>18位，如 91310110666007217T</source>
        <translation>18 characters, e.g. 91310110666007217T</translation>
    </message>
    <message>
        <source>车辆（线索）</source>
        <translation>Vehicle (clue)</translation>
    </message>
    <message>
        <source>车辆说明</source>
        <translation>Vehicle description</translation>
    </message>
</context>
<context>
    <name>CasePage</name>
    <message>
        <source>登记案件(&amp;N)…</source>
        <translation>&amp;New case…</translation>
    </message>
    <message>
        <source>按文字筛选案件</source>
        <translation>Filter cases by text</translation>
    </message>
    <message>
        <source>搜索地点、情况、当事人、号牌</source>
        <translation>Search place, description, party, plate</translation>
    </message>
    <message>
        <source>按状态筛选</source>
        <translation>Filter by status</translation>
    </message>
    <message>
        <source>全部状态</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <source>按违法类型筛选</source>
        <translation>Filter by violation type</translation>
    </message>
    <message>
        <source>全部违法类型</source>
        <translation>All violation types</translation>
    </message>
    <message>
        <source>按管辖筛选</source>
        <translation>Filter by jurisdiction</translation>
    </message>
    <message>
        <source>全部管辖</source>
        <translation>All jurisdictions</translation>
    </message>
    <message>
        <source>案件列表</source>
        <translation>Case list</translation>
    </message>
    <message>
        <source>更改管辖(&amp;J)…</source>
        <translation>Change &amp;jurisdiction…</translation>
    </message>
    <message>
        <source>立案(&amp;F)…</source>
        <translation>File case (&amp;F)…</translation>
    </message>
    <message>
        <source>起草文书(&amp;D)…</source>
        <translation>&amp;Draft document…</translation>
    </message>
    <message>
        <source>起草案件移送函(&amp;T)</source>
        <translation>Draft case &amp;transfer letter</translation>
    </message>
    <message>
        <source>案件详情</source>
        <translation>Case details</translation>
    </message>
    <message>
        <source>证据照片</source>
        <translation>Evidence photos</translation>
    </message>
    <message>
        <source>案件证据照片</source>
        <translation>Case evidence photos</translation>
    </message>
    <message>
        <source>本案文书（双击打开）</source>
        <translation>Documents of this case (double-click to open)</translation>
    </message>
    <message>
        <source>本案文书</source>
        <translation>Documents of this case</translation>
    </message>
    <message>
        <source>显示 {0} 件案件</source>
        <translation>Cases shown: {0}</translation>
    </message>
    <message>
        <source>该案件属于外地管辖（{0}），已移送</source>
        <translation>This case falls under another jurisdiction ({0}) and has been transferred</translation>
    </message>
    <message>
        <source>该案件属于外地管辖（{0}），建议移送</source>
        <translation>This case falls under another jurisdiction ({0}); a transfer is advised</translation>
    </message>
    <message>
        <source>证据照片（{0} 张）</source>
        <translation>Evidence photos ({0})</translation>
    </message>
    <message>
        <source>未编号</source>
        <translation>not numbered</translation>
    </message>
    <message>
        <source>未知</source>
        <translation>unknown</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>发现时间</source>
        <translation>Found at</translation>
    </message>
    <message>
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <source>未填写</source>
        <translation>not filled in</translation>
    </message>
    <message>
        <source>位置</source>
        <translation>Position</translation>
    </message>
    <message>
        <source>无</source>
        <translation>none</translation>
    </message>
    <message>
        <source>管辖</source>
        <translation>Jurisdiction</translation>
    </message>
    <message>
        <source>管辖依据</source>
        <translation>Jurisdiction basis</translation>
    </message>
    <message>
        <source>法律依据</source>
        <translation>Legal basis</translation>
    </message>
    <message>
        <source>情况</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>案件已登记。</source>
        <translation>Case registered.</translation>
    </message>
    <message>
        <source>管辖已更改，理由已记入执法记录。</source>
        <translation>Jurisdiction changed; the reason is in the enforcement record.</translation>
    </message>
    <message>
        <source>已立案。</source>
        <translation>Case filed.</translation>
    </message>
    <message>
        <source>草稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <source>已登记</source>
        <translation>Registered</translation>
    </message>
    <message>
        <source>已移送</source>
        <translation>Transferred</translation>
    </message>
    <message>
        <source>已办结</source>
        <translation>concluded</translation>
    </message>
    <message>
        <source>自然人</source>
        <translation>Person</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <source>已签发</source>
        <translation>Issued</translation>
    </message>
    <message>
        <source>已被更正</source>
        <translation>Corrected</translation>
    </message>
    <message>
        <source>当事人</source>
        <translation>Parties</translation>
    </message>
    <message>
        <source>统一社会信用代码</source>
        <translation>Unified social credit code</translation>
    </message>
    <message>
        <source>校验通过</source>
        <translation>check passed</translation>
    </message>
    <message>
        <source>在左侧列表中选择一件案件查看详情。</source>
        <translation>Select a case in the list on the left to see its details.</translation>
    </message>
    <message>
        <source>演示（培训）数据</source>
        <translation>Demo (training) data</translation>
    </message>
    <message>
        <source>当事人待查</source>
        <translation>Party to be identified</translation>
    </message>
    <message>
        <source>管辖变更</source>
        <translation>Jurisdiction changes</translation>
    </message>
</context>
<context>
    <name>CaseProcedure</name>
    <message>
        <source>立案</source>
        <translation>Filing</translation>
    </message>
    <message>
        <source>尚未立案</source>
        <translation>Not filed yet</translation>
    </message>
    <message>
        <source>（已逾期）</source>
        <translation> (overdue)</translation>
    </message>
    <message>
        <source>（还剩 {0} 日）</source>
        <translation> ({0} days left)</translation>
    </message>
    <message>
        <source>处理期限</source>
        <translation>Decision due</translation>
    </message>
    <message>
        <source>管辖争议（与{0}）：{1}</source>
        <translation>Jurisdiction dispute (with {0}): {1}</translation>
    </message>
    <message>
        <source>涉案车辆（线索）</source>
        <translation>Vehicles involved (clues)</translation>
    </message>
</context>
<context>
    <name>CaseTableModel</name>
    <message>
        <source>未知</source>
        <translation>unknown</translation>
    </message>
    <message>
        <source>待查</source>
        <translation>To be identified</translation>
    </message>
    <message>
        <source>发现时间</source>
        <translation>Found at</translation>
    </message>
    <message>
        <source>违法类型</source>
        <translation>Violation type</translation>
    </message>
    <message>
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <source>管辖</source>
        <translation>Jurisdiction</translation>
    </message>
    <message>
        <source>当事人</source>
        <translation>Parties</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>证据</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <source>草稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <source>已登记</source>
        <translation>Registered</translation>
    </message>
    <message>
        <source>已移送</source>
        <translation>Transferred</translation>
    </message>
    <message>
        <source>已办结</source>
        <translation>concluded</translation>
    </message>
</context>
<context>
    <name>DocumentEditor</name>
    <message>
        <source>文书：{0}</source>
        <translation>Document: {0}</translation>
    </message>
    <message>
        <source>保存(&amp;S)</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>签发(&amp;I)</source>
        <translation>&amp;Issue</translation>
    </message>
    <message>
        <source>编号、生成PDF并存档；签发后不能修改，只能更正</source>
        <translation>Numbers it, renders the PDF and archives it; once issued it cannot be edited, only corrected</translation>
    </message>
    <message>
        <source>打印(&amp;P)…</source>
        <translation>&amp;Print…</translation>
    </message>
    <message>
        <source>另存为PDF(&amp;A)…</source>
        <translation>S&amp;ave as PDF…</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>留空则按所选项自动生成规范表述（可改写）</source>
        <translation>Leave blank for the standard wording of the option chosen (may be rewritten)</translation>
    </message>
    <message>
        <source>签发时自动填写</source>
        <translation>filled in on issue</translation>
    </message>
    <message>
        <source>如 2026-03-05</source>
        <translation>e.g. 2026-03-05</translation>
    </message>
    <message>
        <source>不能签发，缺少必填项：{0}</source>
        <translation>Cannot issue; required fields missing: {0}</translation>
    </message>
    <message>
        <source>提醒：{0}</source>
        <translation>Note: {0}</translation>
    </message>
    <message>
        <source>没有需要保存的修改。</source>
        <translation>Nothing to save.</translation>
    </message>
    <message>
        <source>已保存，请注意：</source>
        <translation>Saved. Please note:</translation>
    </message>
    <message>
        <source>已保存。</source>
        <translation>Saved.</translation>
    </message>
    <message>
        <source>请填写标红的必填项后再签发。</source>
        <translation>Fill in the required fields marked red before issuing.</translation>
    </message>
    <message>
        <source>正在签发：编号、生成PDF并存档…</source>
        <translation>Issuing: numbering, rendering the PDF, archiving…</translation>
    </message>
    <message>
        <source>已签发：{0}，共 {1} 页。</source>
        <translation>Issued: {0}, {1} pages.</translation>
    </message>
    <message>
        <source>签发失败</source>
        <translation>Issuing failed</translation>
    </message>
    <message>
        <source>签发时编号</source>
        <translation>numbered on issue</translation>
    </message>
    <message>
        <source>　第{0}版（更正）</source>
        <translation>  version {0} (correction)</translation>
    </message>
    <message>
        <source>草稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <source>已签发</source>
        <translation>Issued</translation>
    </message>
    <message>
        <source>已作废</source>
        <translation>Void</translation>
    </message>
</context>
<context>
    <name>DocumentPage</name>
    <message>
        <source>新建文书(&amp;N)…</source>
        <translation>&amp;New document…</translation>
    </message>
    <message>
        <source>按文号或标题筛选</source>
        <translation>Filter by number or title</translation>
    </message>
    <message>
        <source>搜索文号、文书名称</source>
        <translation>Search document number, title</translation>
    </message>
    <message>
        <source>按状态筛选</source>
        <translation>Filter by status</translation>
    </message>
    <message>
        <source>全部状态</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <source>文书列表</source>
        <translation>Document list</translation>
    </message>
    <message>
        <source>编辑(&amp;E)…</source>
        <translation>&amp;Edit…</translation>
    </message>
    <message>
        <source>签发(&amp;I)…</source>
        <translation>&amp;Issue…</translation>
    </message>
    <message>
        <source>打印(&amp;P)…</source>
        <translation>&amp;Print…</translation>
    </message>
    <message>
        <source>另存为PDF(&amp;A)…</source>
        <translation>Save &amp;as PDF…</translation>
    </message>
    <message>
        <source>更正(&amp;R)</source>
        <translation>Co&amp;rrect</translation>
    </message>
    <message>
        <source>生成新版本草稿；新版本签发后原文书作废</source>
        <translation>Creates a draft of a new version; the original is void once the new version is issued</translation>
    </message>
    <message>
        <source>显示 {0} 份文书</source>
        <translation>Documents shown: {0}</translation>
    </message>
    <message>
        <source>查看(&amp;E)…</source>
        <translation>Vi&amp;ew…</translation>
    </message>
    <message>
        <source>选择一份文书查看预览。</source>
        <translation>Select a document to see its preview.</translation>
    </message>
    <message>
        <source>（草稿，未编号）</source>
        <translation>(draft, not numbered)</translation>
    </message>
    <message>
        <source>　签发于 {0}</source>
        <translation>  issued {0}</translation>
    </message>
    <message>
        <source>正在生成草稿预览…</source>
        <translation>Rendering the draft preview…</translation>
    </message>
    <message>
        <source>正在载入…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>草稿预览：带“草稿”水印、未编号；签发后为正式文本。</source>
        <translation>Draft preview: watermarked “draft” and not numbered; the issued text is the official one.</translation>
    </message>
    <message>
        <source>无法预览：{0}</source>
        <translation>Cannot preview: {0}</translation>
    </message>
    <message>
        <source>已生成更正草稿（第{0}版），签发后原文书作废。</source>
        <translation>Correction draft created (version {0}); the original is void once it is issued.</translation>
    </message>
    <message>
        <source>打印文书</source>
        <translation>Print document</translation>
    </message>
    <message>
        <source>已发送到打印机：{0} 页。</source>
        <translation>Sent to the printer: {0} pages.</translation>
    </message>
    <message>
        <source>打印失败</source>
        <translation>Printing failed</translation>
    </message>
    <message>
        <source>正在打印…</source>
        <translation>Printing…</translation>
    </message>
    <message>
        <source>另存为PDF</source>
        <translation>Save as PDF</translation>
    </message>
    <message>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <source>已保存到 {0}（SHA-256 {1}）</source>
        <translation>Saved to {0} (SHA-256 {1})</translation>
    </message>
    <message>
        <source>另存为PDF失败</source>
        <translation>Saving the PDF failed</translation>
    </message>
    <message>
        <source>正在保存PDF…</source>
        <translation>Saving the PDF…</translation>
    </message>
    <message>
        <source>草稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <source>已签发</source>
        <translation>Issued</translation>
    </message>
    <message>
        <source>已作废</source>
        <translation>Void</translation>
    </message>
    <message>
        <source>待填写：</source>
        <translation>To fill in: </translation>
    </message>
</context>
<context>
    <name>DocumentTableModel</name>
    <message>
        <source>（草稿，未编号）</source>
        <translation>(draft, not numbered)</translation>
    </message>
    <message>
        <source>（第{0}版）</source>
        <translation>(version {0})</translation>
    </message>
    <message>
        <source>巡查记录</source>
        <translation>Patrol record</translation>
    </message>
    <message>
        <source>文号</source>
        <translation>Number</translation>
    </message>
    <message>
        <source>文书</source>
        <translation>Documents</translation>
    </message>
    <message>
        <source>案件</source>
        <translation>Cases</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>签发日期</source>
        <translation>Issued on</translation>
    </message>
    <message>
        <source>草稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <source>已签发</source>
        <translation>Issued</translation>
    </message>
    <message>
        <source>已作废</source>
        <translation>Void</translation>
    </message>
</context>
<context>
    <name>EvidencePage</name>
    <message>
        <source>证据缩略图</source>
        <translation>Evidence thumbnails</translation>
    </message>
    <message>
        <source>证据地图</source>
        <translation>Evidence map</translation>
    </message>
    <message>
        <source>证据详情</source>
        <translation>Evidence details</translation>
    </message>
    <message>
        <source>导入照片(&amp;I)…</source>
        <translation>&amp;Import photos…</translation>
    </message>
    <message>
        <source>导入文件夹(&amp;O)…</source>
        <translation>Import f&amp;older…</translation>
    </message>
    <message>
        <source>手工定位(&amp;P)</source>
        <translation>&amp;Place on map</translation>
    </message>
    <message>
        <source>在地图上点选所选照片的位置</source>
        <translation>Click the position of the selected photo on the map</translation>
    </message>
    <message>
        <source>输入坐标(&amp;G)…</source>
        <translation>Enter coordinates (&amp;G)…</translation>
    </message>
    <message>
        <source>输入或粘贴所选照片的坐标</source>
        <translation>Type or paste the coordinates of the selected photo</translation>
    </message>
    <message>
        <source>更改管辖(&amp;J)…</source>
        <translation>Change &amp;jurisdiction…</translation>
    </message>
    <message>
        <source>更改所选照片的管辖区</source>
        <translation>Change the jurisdiction of the selected photo</translation>
    </message>
    <message>
        <source>大图(&amp;V)</source>
        <translation>&amp;View large</translation>
    </message>
    <message>
        <source>查看所选照片的大图</source>
        <translation>View the selected photo large</translation>
    </message>
    <message>
        <source>原始EXIF(&amp;X)…</source>
        <translation>Raw E&amp;XIF…</translation>
    </message>
    <message>
        <source>查看所选照片的全部EXIF标签</source>
        <translation>Show every EXIF tag of the selected photo</translation>
    </message>
    <message>
        <source>播放(&amp;Y)</source>
        <translation>Pla&amp;y</translation>
    </message>
    <message>
        <source>用系统播放器播放所选录音录像（原始文件不会被修改）</source>
        <translation>Play the selected recording in the system's player (the original file is not modified)</translation>
    </message>
    <message>
        <source>立案(&amp;C)…</source>
        <translation>Open &amp;case…</translation>
    </message>
    <message>
        <source>用所选照片登记违法案件</source>
        <translation>Register a violation case with the selected photos</translation>
    </message>
    <message>
        <source>全选</source>
        <translation>Select all</translation>
    </message>
    <message>
        <source>选中显示的全部照片</source>
        <translation>Select every photo shown</translation>
    </message>
    <message>
        <source>选中显示的全部照片（Ctrl+A）</source>
        <translation>Select every photo shown (Ctrl+A)</translation>
    </message>
    <message>
        <source>按巡查筛选</source>
        <translation>Filter by patrol</translation>
    </message>
    <message>
        <source>按日期</source>
        <translation>By date</translation>
    </message>
    <message>
        <source>起始日期</source>
        <translation>From date</translation>
    </message>
    <message>
        <source>截止日期</source>
        <translation>To date</translation>
    </message>
    <message>
        <source>按位置筛选</source>
        <translation>Filter by position</translation>
    </message>
    <message>
        <source>全部位置</source>
        <translation>All positions</translation>
    </message>
    <message>
        <source>有位置</source>
        <translation>With position</translation>
    </message>
    <message>
        <source>无位置</source>
        <translation>Without position</translation>
    </message>
    <message>
        <source>按提示筛选</source>
        <translation>Filter by notice</translation>
    </message>
    <message>
        <source>全部提示</source>
        <translation>All notices</translation>
    </message>
    <message>
        <source>全部巡查</source>
        <translation>All patrols</translation>
    </message>
    <message>
        <source>显示 {0} 个证据</source>
        <translation>Evidence items shown: {0}</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>时长</source>
        <translation>Duration</translation>
    </message>
    <message>
        <source>编码</source>
        <translation>Codec</translation>
    </message>
    <message>
        <source>无法读取</source>
        <translation>Unreadable</translation>
    </message>
    <message>
        <source>移动轨迹</source>
        <translation>Path</translation>
    </message>
    <message>
        <source>照片GPS</source>
        <translation>photo GPS</translation>
    </message>
    <message>
        <source>录像文件内的位置</source>
        <translation>position in the recording</translation>
    </message>
    <message>
        <source>记录仪GPS日志</source>
        <translation>camera GPS log</translation>
    </message>
    <message>
        <source>轨迹匹配</source>
        <translation>track match</translation>
    </message>
    <message>
        <source>手工标注</source>
        <translation>placed by hand</translation>
    </message>
    <message>
        <source>无</source>
        <translation>none</translation>
    </message>
    <message>
        <source>未知</source>
        <translation>unknown</translation>
    </message>
    <message>
        <source>拍摄时间</source>
        <translation>Taken at</translation>
    </message>
    <message>
        <source>位置</source>
        <translation>Position</translation>
    </message>
    <message>
        <source>管辖</source>
        <translation>Jurisdiction</translation>
    </message>
    <message>
        <source>设备</source>
        <translation>Device</translation>
    </message>
    <message>
        <source>尺寸</source>
        <translation>Size</translation>
    </message>
    <message>
        <source>文件大小</source>
        <translation>File size</translation>
    </message>
    <message>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <source>导入时间</source>
        <translation>Imported at</translation>
    </message>
    <message>
        <source>{0} {1}：{2} → {3}。理由：{4}</source>
        <translation>{0} {1}: {2} → {3}. Reason: {4}</translation>
    </message>
    <message>
        <source>选择证据照片或录音录像</source>
        <translation>Choose evidence photos or recordings</translation>
    </message>
    <message>
        <source>照片和录音录像 (*.jpg *.jpeg *.tif *.tiff *.png *.heic *.heif *.avif *.mp4 *.mov *.3gp *.avi *.mkv *.mts *.m2ts *.m4a *.aac *.amr *.wav *.mp3);;照片 (*.jpg *.jpeg *.tif *.tiff *.png *.heic *.heif *.avif);;录音录像 (*.mp4 *.mov *.3gp *.avi *.mkv *.mts *.m2ts *.m4a *.aac *.amr *.wav *.mp3);;所有文件 (*)</source>
        <translation>Photos and recordings (*.jpg *.jpeg *.tif *.tiff *.png *.heic *.heif *.avif *.mp4 *.mov *.3gp *.avi *.mkv *.mts *.m2ts *.m4a *.aac *.amr *.wav *.mp3);;Photos (*.jpg *.jpeg *.tif *.tiff *.png *.heic *.heif *.avif);;Recordings (*.mp4 *.mov *.3gp *.avi *.mkv *.mts *.m2ts *.m4a *.aac *.amr *.wav *.mp3);;All files (*)</translation>
    </message>
    <message>
        <source>选择照片或录像文件夹</source>
        <translation>Choose a folder of photos or recordings</translation>
    </message>
    <message>
        <source>正在生成画面…</source>
        <translation>Making frames…</translation>
    </message>
    <message>
        <source>警示</source>
        <translation>Warnings</translation>
    </message>
    <message>
        <source>管辖更改记录</source>
        <translation>Jurisdiction change log</translation>
    </message>
    <message>
        <source>演示（培训）数据</source>
        <translation>Demo (training) data</translation>
    </message>
    <message>
        <source>提示</source>
        <translation>Notices</translation>
    </message>
</context>
<context>
    <name>FeedbackDialog</name>
    <message>
        <source>反馈处理结果</source>
        <translation>Report the outcome</translation>
    </message>
    <message>
        <source>移送文号：{0}</source>
        <translation>Transfer number: {0}</translation>
    </message>
    <message>
        <source>处理结果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <source>处罚决定书文号</source>
        <translation>Penalty decision number</translation>
    </message>
    <message>
        <source>如 吴综执罚决字〔2026〕88号</source>
        <translation>e.g. 吴综执罚决字〔2026〕88号</translation>
    </message>
    <message>
        <source>决定日期</source>
        <translation>Decision date</translation>
    </message>
    <message>
        <source>罚款金额</source>
        <translation>Fine amount</translation>
    </message>
    <message>
        <source> 元</source>
        <translation> yuan</translation>
    </message>
    <message>
        <source>无罚款</source>
        <translation>no fine</translation>
    </message>
    <message>
        <source>执行情况</source>
        <translation>Execution</translation>
    </message>
    <message>
        <source>不予处罚依据</source>
        <translation>Basis for no penalty</translation>
    </message>
    <message>
        <source>处理情况说明</source>
        <translation>Account of the handling</translation>
    </message>
    <message>
        <source>执行情况(&amp;E)：</source>
        <translation>Execution (&amp;E):</translation>
    </message>
    <message>
        <source>不予处罚依据(&amp;B)：</source>
        <translation>Basis for no penalty (&amp;B):</translation>
    </message>
    <message>
        <source>说明(&amp;N)：</source>
        <translation>Note (&amp;N):</translation>
    </message>
    <message>
        <source>反馈函写明决定书文号、决定日期、处罚内容和执行情况。</source>
        <translation>The feedback letter states the decision number, decision date, penalty and execution.</translation>
    </message>
    <message>
        <source>反馈函写明不予处罚的法律依据。</source>
        <translation>The feedback letter states the legal basis for imposing no penalty.</translation>
    </message>
    <message>
        <source>反馈函依照行政处罚法第二十七条和国务院令第310号写明移送司法机关的日期。</source>
        <translation>The feedback letter cites Art. 27 of the Administrative Penalty Law and State Council Decree No. 310 and states the date of referral to the judiciary.</translation>
    </message>
    <message>
        <source>请在说明中写明处理情况。</source>
        <translation>Describe the handling in the note.</translation>
    </message>
    <message>
        <source>处理结果(&amp;R)：</source>
        <translation>Outcome (&amp;R):</translation>
    </message>
    <message>
        <source>决定书文号(&amp;D)：</source>
        <translation>Decision number (&amp;D):</translation>
    </message>
    <message>
        <source>决定（移送）日期(&amp;T)：</source>
        <translation>Decision (referral) date (&amp;T):</translation>
    </message>
    <message>
        <source>罚款(&amp;F)：</source>
        <translation>&amp;Fine:</translation>
    </message>
    <message>
        <source>反馈</source>
        <translation>Report</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>FilingDialog</name>
    <message>
        <source>立案</source>
        <translation>Filing</translation>
    </message>
    <message>
        <source>立案后，应自立案之日起九十日内作出处理决定（行政处罚法第六十条）。</source>
        <translation>Once filed, a decision is due within 90 days of filing (Administrative Penalty Law Art. 60).</translation>
    </message>
    <message>
        <source>立案日期(&amp;D)</source>
        <translation>Filing date (&amp;D)</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>HeldPanel</name>
    <message>
        <source>以下来自协作平台的项目未能接收，其余项目已正常接收。平台补齐所缺文件后，可点“重新接收”。</source>
        <translation>The items below from the platform could not be received; everything else was received. Once the platform has the missing files, click "Receive again".</translation>
    </message>
    <message>
        <source>未能接收的项目列表</source>
        <translation>Items not received</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>文号</source>
        <translation>Document no.</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>尝试次数</source>
        <translation>Attempts</translation>
    </message>
    <message>
        <source>最近尝试</source>
        <translation>Last attempt</translation>
    </message>
    <message>
        <source>重新接收(&amp;E)</source>
        <translation>R&amp;eceive again</translation>
    </message>
    <message>
        <source>重新接收未能接收的项目</source>
        <translation>Try again to receive the items not received</translation>
    </message>
    <message>
        <source>案件移送</source>
        <translation>Case transfer</translation>
    </message>
    <message>
        <source>移送办理结果</source>
        <translation>Transfer outcome</translation>
    </message>
    <message>
        <source>联合巡查</source>
        <translation>Joint patrol</translation>
    </message>
    <message>
        <source>未能接收（{0}）</source>
        <translation>Not received ({0})</translation>
    </message>
    <message>
        <source>未能接收</source>
        <translation>Not received</translation>
    </message>
    <message>
        <source>已接收 {0} 项，仍未能接收 {1} 项。</source>
        <translation>Received {0}; {1} still not received.</translation>
    </message>
    <message>
        <source>正在重新接收…</source>
        <translation>Receiving again…</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>导入证据照片</source>
        <translation>Import evidence photos</translation>
    </message>
    <message>
        <source>正在准备…</source>
        <translation>Preparing…</translation>
    </message>
    <message>
        <source>导入进度</source>
        <translation>Import progress</translation>
    </message>
    <message>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>取消导入(&amp;C)</source>
        <translation>&amp;Cancel import</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>正在取消，当前文件处理完后停止…</source>
        <translation>Cancelling: stops after the current file…</translation>
    </message>
    <message>
        <source>正在导入（{0}/{1}）：{2}</source>
        <translation>Importing ({0}/{1}): {2}</translation>
    </message>
    <message>
        <source>已导入</source>
        <translation>imported</translation>
    </message>
    <message>
        <source>重复（已存在）</source>
        <translation>duplicate (already there)</translation>
    </message>
    <message>
        <source>未导入</source>
        <translation>not imported</translation>
    </message>
    <message>
        <source>导入完成：新导入 {0} 个，重复 {1} 个，未导入 {2} 个。</source>
        <translation>Import finished: {0} new, {1} duplicates, {2} not imported.</translation>
    </message>
    <message>
        <source>导入已取消。</source>
        <translation>Import cancelled.</translation>
    </message>
    <message>
        <source>导入中止：{0}</source>
        <translation>Import stopped: {0}</translation>
    </message>
    <message>
        <source>导入失败。</source>
        <translation>Import failed.</translation>
    </message>
    <message>
        <source>导入失败</source>
        <translation>Import failed</translation>
    </message>
</context>
<context>
    <name>ImportOfferBar</name>
    <message>
        <source>用这些照片立案(&amp;K)…</source>
        <translation>Record a case with these photos (&amp;K)…</translation>
    </message>
    <message>
        <source>关闭提示</source>
        <translation>Dismiss</translation>
    </message>
    <message>
        <source>导入完成：新导入 {0} 张，已选中本次的 {1} 张照片。</source>
        <translation>Import finished: {0} new photo(s); the {1} photo(s) of this import are selected.</translation>
    </message>
</context>
<context>
    <name>IssueDialog</name>
    <message>
        <source>签发文书</source>
        <translation>Issue document</translation>
    </message>
    <message>
        <source>签发后文号为：</source>
        <translation>Number on issue:</translation>
    </message>
    <message>
        <source>签发将占用该文号，生成正式PDF并存档；签发后不能修改，只能更正。请先核对下面的预览。</source>
        <translation>Issuing uses this number, makes the final PDF and archives it; an issued document cannot be edited, only corrected. Check the preview below first.</translation>
    </message>
    <message>
        <source>正在生成预览…</source>
        <translation>Preparing the preview…</translation>
    </message>
    <message>
        <source>签发(&amp;I)</source>
        <translation>&amp;Issue</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>法律依据待核实</source>
        <translation>Legal basis to be checked</translation>
    </message>
    <message>
        <source>以下依据中标有【待核实】的条文尚未对照公布的文本核实，签发前须逐条核实：</source>
        <translation>The provisions marked 【待核实】 below have not been checked against the published text; check each before issuing:</translation>
    </message>
    <message>
        <source>我已对照公布的条文核实以上依据(&amp;C)</source>
        <translation>I have &amp;checked the basis above against the published text</translation>
    </message>
    <message>
        <source>预览：签发后去掉“草稿”标记，填入文号和签发日期。</source>
        <translation>Preview: on issue the “draft” mark goes and the number and issue date are filled in.</translation>
    </message>
    <message>
        <source>无法预览：{0}</source>
        <translation>Cannot preview: {0}</translation>
    </message>
</context>
<context>
    <name>JurisdictionDialog</name>
    <message>
        <source>更改管辖</source>
        <translation>Change jurisdiction</translation>
    </message>
    <message>
        <source>必填：为何更改（如 经现场复核，倾倒点位于…）</source>
        <translation>Required: why (e.g. re-checked on site, the dumping point lies in…)</translation>
    </message>
    <message>
        <source>更改</source>
        <translation>Change</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>更改管辖：{0}</source>
        <translation>Change jurisdiction: {0}</translation>
    </message>
    <message>
        <source>当前管辖：{0}</source>
        <translation>Current jurisdiction: {0}</translation>
    </message>
    <message>
        <source>未知</source>
        <translation>unknown</translation>
    </message>
    <message>
        <source>新的管辖区</source>
        <translation>New jurisdiction</translation>
    </message>
    <message>
        <source>，距约 {0:.0f} 米</source>
        <translation>, about {0:.0f} m away</translation>
    </message>
    <message>
        <source>改为(&amp;T)</source>
        <translation>Change &amp;to</translation>
    </message>
    <message>
        <source>更改管辖理由</source>
        <translation>Reason for the jurisdiction change</translation>
    </message>
    <message>
        <source>如：现场位于界河对岸，经双方确认</source>
        <translation>e.g. the site is across the border river, confirmed by both sides</translation>
    </message>
    <message>
        <source>理由(&amp;R)</source>
        <translation>&amp;Reason</translation>
    </message>
</context>
<context>
    <name>LockController</name>
    <message>
        <source>已锁定</source>
        <translation>Locked</translation>
    </message>
</context>
<context>
    <name>LockPanel</name>
    <message>
        <source>已锁定</source>
        <extracomment>Events swallowed for anything under a cover while locked (shortcuts and menu mnemonics too).</extracomment>
        <translation>Locked</translation>
    </message>
    <message>
        <source>长时间无操作，已隐藏数据。请输入执法人员PIN解锁。</source>
        <translation>No input for a while, so the data is hidden. Enter the officer’s PIN to unlock.</translation>
    </message>
    <message>
        <source>执法人员</source>
        <translation>Officer</translation>
    </message>
    <message>
        <source>执法人员(&amp;O)：</source>
        <translation>&amp;Officer:</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>PIN(&amp;P)：</source>
        <translation>&amp;PIN:</translation>
    </message>
    <message>
        <source>解锁(&amp;U)</source>
        <translation>&amp;Unlock</translation>
    </message>
    <message>
        <source>该执法人员未设置PIN，点“解锁”继续。可在“设置”菜单中设置PIN。</source>
        <translation>This officer has no PIN: click “Unlock” to go on. A PIN can be set in the Settings menu.</translation>
    </message>
    <message>
        <source>PIN错误次数过多，请等待 {0} 秒后再试。</source>
        <translation>Too many wrong PINs: wait {0} seconds before trying again.</translation>
    </message>
    <message>
        <source>可以重新输入PIN。</source>
        <translation>You can enter the PIN again.</translation>
    </message>
    <message>
        <source>解锁</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <source>PIN不正确。</source>
        <translation>Wrong PIN.</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>登录协作平台</source>
        <translation>Log in to the cooperation platform</translation>
    </message>
    <message>
        <source>平台地址</source>
        <translation>Platform address</translation>
    </message>
    <message>
        <source>登录令牌</source>
        <translation>Login token</translation>
    </message>
    <message>
        <source>平台管理员发放的令牌</source>
        <translation>token issued by the platform administrator</translation>
    </message>
    <message>
        <source>平台地址(&amp;S)：</source>
        <translation>Platform addre&amp;ss:</translation>
    </message>
    <message>
        <source>登录令牌(&amp;T)：</source>
        <translation>Login &amp;token:</translation>
    </message>
    <message>
        <source>令牌只保存在本机系统密钥库中，不会再次显示。</source>
        <translation>The token is kept only in this computer’s system keyring and is not shown again.</translation>
    </message>
    <message>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>长三角城管执法协作助手</source>
        <extracomment>Application font scale of the large-text mode (outdoor use in sunlight). How long after start-up the sync page (platform reachability, automatic sync) is built.</extracomment>
        <translation>YRD Urban Enforcement Cooperation Assistant</translation>
    </message>
    <message>
        <source>巡查</source>
        <translation>Patrols</translation>
    </message>
    <message>
        <source>证据</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <source>案件</source>
        <translation>Cases</translation>
    </message>
    <message>
        <source>文书</source>
        <translation>Documents</translation>
    </message>
    <message>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>统计</source>
        <translation>Statistics</translation>
    </message>
    <message>
        <source>记录与毗邻地区执法队伍的联合巡查：参加单位与人员、时间、区域、路线和发现的问题。</source>
        <translation>Record joint patrols with the enforcement squads of neighbouring areas: agencies and officers taking part, time, area, route and the problems found.</translation>
    </message>
    <message>
        <source>导入相机或手机拍摄的违法现场照片，读取拍摄时间与位置，计算指纹并在地图上定位。</source>
        <translation>Import photos of violations taken with a camera or phone, read when and where they were taken, fingerprint them and place them on the map.</translation>
    </message>
    <message>
        <source>登记违法案件：违法类型、地点、当事人及证件号码、车辆号牌和法律依据。</source>
        <translation>Register violation cases: type, place, parties with their ID numbers, vehicle plates and legal basis.</translation>
    </message>
    <message>
        <source>起草并打印跨区域文书：案件移送函及回执、协助调查函、处理结果反馈函。</source>
        <translation>Draft and print cross-region documents: case transfer letters and receipts, requests for assistance, outcome reports.</translation>
    </message>
    <message>
        <source>联网后与市级协作平台同步：上传本机记录，接收移送给本机关的案件、回执和反馈。</source>
        <translation>Sync with the city cooperation platform when online: upload this laptop’s records, receive cases transferred to this agency, receipts and feedback.</translation>
    </message>
    <message>
        <source>协作统计与季度专项通报。</source>
        <translation>Cooperation statistics and the quarterly bulletin.</translation>
    </message>
    <message>
        <source>功能导航</source>
        <translation>Sections</translation>
    </message>
    <message>
        <source>离线（未配置协作平台）</source>
        <translation>Offline (no cooperation platform set up)</translation>
    </message>
    <message>
        <source>数据目录：{0}</source>
        <translation>Data folder: {0}</translation>
    </message>
    <message>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>本机目前只有演示（培训）数据：这些记录不会同步到正式平台，统计也不计入。开始正式记录后此提示消失。</source>
        <translation>This computer holds only demo (training) data: these records are never synced to the real platform and statistics leave them out. This note disappears once you record real work.</translation>
    </message>
    <message>
        <source>切换执法人员(&amp;S)…</source>
        <translation>&amp;Switch officer…</translation>
    </message>
    <message>
        <source>新增执法人员(&amp;A)…</source>
        <translation>&amp;Add officer…</translation>
    </message>
    <message>
        <source>加载演示数据(&amp;D)</source>
        <translation>Load &amp;demo data</translation>
    </message>
    <message>
        <source>核验证据与日志(&amp;V)…</source>
        <translation>&amp;Verify evidence and journal…</translation>
    </message>
    <message>
        <source>退出(&amp;Q)</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>视图(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>大字模式(&amp;L)</source>
        <translation>&amp;Large text</translation>
    </message>
    <message>
        <source>设置(&amp;T)</source>
        <translation>Se&amp;ttings</translation>
    </message>
    <message>
        <source>设置(&amp;P)…</source>
        <translation>&amp;Preferences…</translation>
    </message>
    <message>
        <source>设置或更改PIN(&amp;I)…</source>
        <translation>Set or change P&amp;IN…</translation>
    </message>
    <message>
        <source>立即锁定(&amp;L)</source>
        <translation>&amp;Lock now</translation>
    </message>
    <message>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>关于(&amp;A)</source>
        <translation>&amp;About</translation>
    </message>
    <message>
        <source>执法人员：未设置</source>
        <translation>Officer: not set</translation>
    </message>
    <message>
        <source>执法人员：{0}（{1}）　{2}</source>
        <translation>Officer: {0} ({1})  {2}</translation>
    </message>
    <message>
        <source>待同步：{0} 项</source>
        <translation>To sync: {0}</translation>
    </message>
    <message>
        <source>正在加载演示数据…</source>
        <translation>Loading the demo data…</translation>
    </message>
    <message>
        <source>演示数据已加载。</source>
        <translation>Demo data loaded.</translation>
    </message>
    <message>
        <source>演示数据已存在。</source>
        <translation>The demo data is already there.</translation>
    </message>
    <message>
        <source>加载演示数据失败</source>
        <translation>Loading the demo data failed</translation>
    </message>
    <message>
        <source>关于</source>
        <translation>About</translation>
    </message>
    <message>
        <source>长三角城管执法协作助手 {0}
离线优先的跨区域联合执法现场工具。</source>
        <translation>YRD Urban Enforcement Cooperation Assistant {0}
An offline-first field tool for joint cross-region enforcement.</translation>
    </message>
</context>
<context>
    <name>MapWidget</name>
    <message>
        <source>地图</source>
        <extracomment>Below this scale (pixels per world unit, ~zoom 10) the simplified outlines are drawn: their 0.002° tolerance is then under 1.5 px. The smallest area "fit to content" zooms to (world units, ~2 km), so one photo is not a blur. Yangtze River Delta, shown before anything else is known.</extracomment>
        <translation>Map</translation>
    </message>
    <message>
        <source>拖动或方向键平移，滚轮或加减号缩放，0 键适合范围</source>
        <translation>Drag or use the arrow keys to pan, the wheel or plus/minus to zoom, 0 to fit</translation>
    </message>
    <message>
        <source>拖动或方向键平移，滚轮或 +/- 缩放，0 适合范围</source>
        <translation>Drag or arrow keys to pan, wheel or +/- to zoom, 0 to fit</translation>
    </message>
    <message>
        <source>放大</source>
        <translation>Zoom in</translation>
    </message>
    <message>
        <source>缩小</source>
        <translation>Zoom out</translation>
    </message>
    <message>
        <source>适合范围</source>
        <translation>Fit</translation>
    </message>
    <message>
        <source>地图状态</source>
        <translation>Map status</translation>
    </message>
    <message>
        <source>图例：管辖区颜色</source>
        <translation>Legend: jurisdiction colours</translation>
    </message>
    <message>
        <source>行政区划边界未能加载</source>
        <translation>The administrative boundaries could not be loaded</translation>
    </message>
    <message>
        <source>巡查轨迹</source>
        <translation>Patrol track</translation>
    </message>
    <message>
        <source>管辖：{0}</source>
        <translation>Jurisdiction: {0}</translation>
    </message>
    <message>
        <source>案件：{0}</source>
        <translation>Case: {0}</translation>
    </message>
    <message>
        <source>未知</source>
        <translation>unknown</translation>
    </message>
    <message>
        <source>● 照片　◆ 案件</source>
        <translation>● photo  ◆ case</translation>
    </message>
    <message>
        <source>　— 轨迹</source>
        <translation>  — track</translation>
    </message>
    <message>
        <source>点击地图为所选照片定位（Esc 取消）</source>
        <translation>Click the map to place the selected photo (Esc cancels)</translation>
    </message>
    <message>
        <source>正在加载行政区划边界…</source>
        <translation>Loading the administrative boundaries…</translation>
    </message>
</context>
<context>
    <name>NewDocumentDialog</name>
    <message>
        <source>新建文书</source>
        <translation>New document</translation>
    </message>
    <message>
        <source>（不针对案件）</source>
        <translation>(not for a case)</translation>
    </message>
    <message>
        <source>（取自案件）</source>
        <translation>(from the case)</translation>
    </message>
    <message>
        <source>文书(&amp;F)</source>
        <translation>&amp;Form</translation>
    </message>
    <message>
        <source>案件(&amp;C)</source>
        <translation>&amp;Case</translation>
    </message>
    <message>
        <source>巡查(&amp;P)</source>
        <translation>&amp;Patrol</translation>
    </message>
    <message>
        <source>起草</source>
        <translation>Draft</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>OfficerFlows</name>
    <message>
        <source>界面语言已保存，将在重新启动本程序后生效。</source>
        <translation>Language saved; it takes effect when the app is restarted.</translation>
    </message>
    <message>
        <source>设置PIN</source>
        <translation>Set PIN</translation>
    </message>
    <message>
        <source>PIN已设置。</source>
        <translation>PIN set.</translation>
    </message>
    <message>
        <source>无法设置PIN</source>
        <translation>Cannot set the PIN</translation>
    </message>
    <message>
        <source>PIN错误次数过多，请等待 {0} 秒后再试。</source>
        <translation>Too many wrong PINs: wait {0} seconds before trying again.</translation>
    </message>
    <message>
        <source>PIN不正确。</source>
        <translation>Wrong PIN.</translation>
    </message>
    <message>
        <source>输入PIN</source>
        <translation>Enter PIN</translation>
    </message>
    <message>
        <source>无法保存执法人员档案</source>
        <translation>Cannot save the officer profile</translation>
    </message>
    <message>
        <source>切换执法人员</source>
        <translation>Switch officer</translation>
    </message>
    <message>
        <source>选择执法人员：</source>
        <translation>Choose the officer:</translation>
    </message>
</context>
<context>
    <name>OfficersField</name>
    <message>
        <source>执法机关</source>
        <translation>Enforcement agency</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>执法证号</source>
        <translation>Certificate no.</translation>
    </message>
    <message>
        <source>在场执法人员</source>
        <translation>Officers present</translation>
    </message>
    <message>
        <source>添加执法人员</source>
        <translation>Add officer</translation>
    </message>
    <message>
        <source>删除所选</source>
        <translation>Remove selected</translation>
    </message>
    <message>
        <source>共 {0} 名执法人员，来自 {1} 个单位</source>
        <translation>{0} officers from {1} agencies</translation>
    </message>
    <message>
        <source>；执法人员不得少于两人（行政处罚法第四十二条）</source>
        <translation>; at least two officers are required (Administrative Penalty Law, art. 42)</translation>
    </message>
</context>
<context>
    <name>PatrolEditorDialog</name>
    <message>
        <source>编辑联合巡查</source>
        <translation>Edit joint patrol</translation>
    </message>
    <message>
        <source>新建联合巡查</source>
        <translation>New joint patrol</translation>
    </message>
    <message>
        <source>巡查类型</source>
        <translation>Patrol type</translation>
    </message>
    <message>
        <source>巡查类型(&amp;T)：</source>
        <translation>Patrol &amp;type:</translation>
    </message>
    <message>
        <source>协作片区</source>
        <translation>Cooperation cluster</translation>
    </message>
    <message>
        <source>（无）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>协作片区(&amp;C)：</source>
        <translation>&amp;Cluster:</translation>
    </message>
    <message>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>标题(&amp;L)：</source>
        <translation>Tit&amp;le:</translation>
    </message>
    <message>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <source>参加单位（可多选，最近合作的在前）</source>
        <translation>Agencies taking part (several allowed; recent partners first)</translation>
    </message>
    <message>
        <source>参加单位(&amp;A)：</source>
        <translation>&amp;Agencies:</translation>
    </message>
    <message>
        <source>执法人员(&amp;O)：</source>
        <translation>&amp;Officers:</translation>
    </message>
    <message>
        <source>巡查区域</source>
        <translation>Patrol area</translation>
    </message>
    <message>
        <source>巡查区域(&amp;R)：</source>
        <translation>A&amp;rea:</translation>
    </message>
    <message>
        <source>巡查路线</source>
        <translation>Patrol route</translation>
    </message>
    <message>
        <source>路线说明；GPS轨迹请在证据页导入GPX文件</source>
        <translation>Route description; import GPS tracks as GPX files on the Evidence page</translation>
    </message>
    <message>
        <source>计划时间(&amp;P)：</source>
        <translation>&amp;Planned time:</translation>
    </message>
    <message>
        <source>巡查路线(&amp;U)：</source>
        <translation>Ro&amp;ute:</translation>
    </message>
    <message>
        <source>发现问题</source>
        <translation>Problems found</translation>
    </message>
    <message>
        <source>发现问题(&amp;F)：</source>
        <translation>Problems &amp;found:</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>备注(&amp;N)：</source>
        <translation>&amp;Notes:</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>　· 最近合作</source>
        <translation>  · recent partner</translation>
    </message>
    <message>
        <source>各单位执法人员</source>
        <translation>Officers of each agency</translation>
    </message>
    <message>
        <source>所属单位</source>
        <translation>Agency</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>执法证号</source>
        <translation>Badge number</translation>
    </message>
    <message>
        <source>最近合作的执法人员</source>
        <translation>Recent partner officers</translation>
    </message>
    <message>
        <source>— 从最近合作人员中添加 —</source>
        <translation>— add from recent partners —</translation>
    </message>
    <message>
        <source>添加人员(&amp;D)</source>
        <translation>A&amp;dd officer</translation>
    </message>
    <message>
        <source>添加执法人员</source>
        <translation>Add officer</translation>
    </message>
    <message>
        <source>删除人员</source>
        <translation>Remove officer</translation>
    </message>
    <message>
        <source>删除所选执法人员</source>
        <translation>Remove the selected officer</translation>
    </message>
    <message>
        <source>陆路巡查</source>
        <translation>Land patrol</translation>
    </message>
    <message>
        <source>水路巡查</source>
        <translation>Water patrol</translation>
    </message>
    <message>
        <source>共同管辖区域巡查</source>
        <translation>Shared-jurisdiction patrol</translation>
    </message>
    <message>
        <source>重大活动保障</source>
        <translation>Major-event duty</translation>
    </message>
    <message>
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>计划开始时间</source>
        <translation>Planned start</translation>
    </message>
    <message>
        <source>计划结束时间</source>
        <translation>Planned end</translation>
    </message>
    <message>
        <source>无证号</source>
        <translation>no badge number</translation>
    </message>
</context>
<context>
    <name>PatrolPage</name>
    <message>
        <source>新建巡查(&amp;N)…</source>
        <translation>&amp;New patrol…</translation>
    </message>
    <message>
        <source>新建联合巡查</source>
        <translation>New joint patrol</translation>
    </message>
    <message>
        <source>按文字筛选巡查</source>
        <translation>Filter patrols by text</translation>
    </message>
    <message>
        <source>搜索标题、区域、路线、发现问题、备注</source>
        <translation>Search title, area, route, problems found, notes</translation>
    </message>
    <message>
        <source>按日期(&amp;D)</source>
        <translation>By &amp;date</translation>
    </message>
    <message>
        <source>按开始日期筛选</source>
        <translation>Filter by start date</translation>
    </message>
    <message>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <source>清除筛选</source>
        <translation>Clear filters</translation>
    </message>
    <message>
        <source>清除全部筛选条件</source>
        <translation>Clear all filters</translation>
    </message>
    <message>
        <source>联合巡查列表</source>
        <translation>Joint patrol list</translation>
    </message>
    <message>
        <source>编辑(&amp;E)…</source>
        <translation>&amp;Edit…</translation>
    </message>
    <message>
        <source>编辑巡查</source>
        <translation>Edit patrol</translation>
    </message>
    <message>
        <source>开始巡查(&amp;S)</source>
        <translation>&amp;Start patrol</translation>
    </message>
    <message>
        <source>开始巡查</source>
        <translation>Start patrol</translation>
    </message>
    <message>
        <source>结束巡查(&amp;C)</source>
        <translation>&amp;Close patrol</translation>
    </message>
    <message>
        <source>结束巡查</source>
        <translation>Close patrol</translation>
    </message>
    <message>
        <source>更正(&amp;M)…</source>
        <translation>A&amp;mend…</translation>
    </message>
    <message>
        <source>更正已结束的巡查</source>
        <translation>Correct a finished patrol</translation>
    </message>
    <message>
        <source>巡查详情</source>
        <translation>Patrol details</translation>
    </message>
    <message>
        <source>正在统计符合条件的联合巡查…</source>
        <translation>Counting the matching joint patrols…</translation>
    </message>
    <message>
        <source>无法统计符合条件的联合巡查：{0}</source>
        <translation>Could not count the matching joint patrols: {0}</translation>
    </message>
    <message>
        <source>巡查轨迹地图</source>
        <translation>Patrol track map</translation>
    </message>
    <message>
        <source>详情</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>轨迹地图</source>
        <translation>Track map</translation>
    </message>
    <message>
        <source>巡查轨迹、现场照片和案件的位置</source>
        <translation>Patrol track and the positions of site photos and cases</translation>
    </message>
    <message>
        <source>现场照片</source>
        <translation>Site photos</translation>
    </message>
    <message>
        <source>本次巡查的现场照片</source>
        <translation>Site photos of this patrol</translation>
    </message>
    <message>
        <source>显示 {0} 次联合巡查</source>
        <translation>Joint patrols shown: {0}</translation>
    </message>
    <message>
        <source>现场照片（{0} 张）</source>
        <translation>Site photos ({0})</translation>
    </message>
    <message>
        <source>无执法证号</source>
        <translation>no badge number</translation>
    </message>
    <message>
        <source>未填人员</source>
        <translation>no officers entered</translation>
    </message>
    <message>
        <source>未开始</source>
        <translation>not started</translation>
    </message>
    <message>
        <source>{0} 条轨迹，{1} 个点，{2} — {3}（UTC）</source>
        <translation>{0} tracks, {1} points, {2} — {3} (UTC)</translation>
    </message>
    <message>
        <source>无（可在证据页导入GPX轨迹）</source>
        <translation>none (import GPX tracks on the Evidence page)</translation>
    </message>
    <message>
        <source>无</source>
        <translation>none</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>计划中</source>
        <translation>Planned</translation>
    </message>
    <message>
        <source>进行中</source>
        <translation>In progress</translation>
    </message>
    <message>
        <source>已结束</source>
        <translation>Finished</translation>
    </message>
    <message>
        <source>陆路巡查</source>
        <translation>Land patrol</translation>
    </message>
    <message>
        <source>水路巡查</source>
        <translation>Water patrol</translation>
    </message>
    <message>
        <source>共同管辖区域巡查</source>
        <translation>Shared-jurisdiction patrol</translation>
    </message>
    <message>
        <source>重大活动保障</source>
        <translation>Major-event duty</translation>
    </message>
    <message>
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>巡查类型</source>
        <translation>Patrol type</translation>
    </message>
    <message>
        <source>协作片区</source>
        <translation>Cooperation cluster</translation>
    </message>
    <message>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>计划开始时间</source>
        <translation>Planned start</translation>
    </message>
    <message>
        <source>计划结束时间</source>
        <translation>Planned end</translation>
    </message>
    <message>
        <source>实际开始时间</source>
        <translation>Actual start</translation>
    </message>
    <message>
        <source>实际结束时间</source>
        <translation>Actual end</translation>
    </message>
    <message>
        <source>开始日期自</source>
        <translation>Start date from</translation>
    </message>
    <message>
        <source>开始日期至</source>
        <translation>Start date to</translation>
    </message>
    <message>
        <source>按协作片区筛选</source>
        <translation>Filter by cluster</translation>
    </message>
    <message>
        <source>全部片区</source>
        <translation>All clusters</translation>
    </message>
    <message>
        <source>按巡查类型筛选</source>
        <translation>Filter by patrol type</translation>
    </message>
    <message>
        <source>全部类型</source>
        <translation>All types</translation>
    </message>
    <message>
        <source>按参加单位筛选</source>
        <translation>Filter by agency</translation>
    </message>
    <message>
        <source>全部单位</source>
        <translation>All agencies</translation>
    </message>
    <message>
        <source>按状态筛选</source>
        <translation>Filter by status</translation>
    </message>
    <message>
        <source>全部状态</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <source>在左侧列表中选择一次巡查查看详情。</source>
        <translation>Select a patrol in the list on the left to see its details.</translation>
    </message>
    <message>
        <source>已结束：记录只读，更改须提交更正。</source>
        <translation>Finished: the record is read-only; changes need a correction.</translation>
    </message>
    <message>
        <source>更正记录</source>
        <translation>Corrections</translation>
    </message>
    <message>
        <source>演示（培训）数据</source>
        <translation>Demo (training) data</translation>
    </message>
    <message>
        <source>（牵头）</source>
        <translation> (lead)</translation>
    </message>
    <message>
        <source>计划时间</source>
        <translation>Planned time</translation>
    </message>
    <message>
        <source>实际时间</source>
        <translation>Actual time</translation>
    </message>
    <message>
        <source>参加单位及人员</source>
        <translation>Agencies and officers</translation>
    </message>
    <message>
        <source>巡查区域</source>
        <translation>Patrol area</translation>
    </message>
    <message>
        <source>未填</source>
        <translation>not filled in</translation>
    </message>
    <message>
        <source>巡查路线</source>
        <translation>Patrol route</translation>
    </message>
    <message>
        <source>GPS轨迹</source>
        <translation>GPS tracks</translation>
    </message>
    <message>
        <source>发现问题</source>
        <translation>Problems found</translation>
    </message>
    <message>
        <source>关联案件</source>
        <translation>Related cases</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>版本</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>{0} {1} 更正“{2}”：{3} → {4}。理由：{5}</source>
        <translation>{0} {1} corrected “{2}”: {3} → {4}. Reason: {5}</translation>
    </message>
    <message>
        <source>巡查已结束，记录只读；如需更正，请点击“更正”。</source>
        <translation>The patrol is finished and its record read-only; to correct it, click “Amend”.</translation>
    </message>
    <message>
        <source>巡查已开始。</source>
        <translation>Patrol started.</translation>
    </message>
    <message>
        <source>巡查已结束，记录转为只读。</source>
        <translation>Patrol closed; the record is now read-only.</translation>
    </message>
    <message>
        <source>已保存。</source>
        <translation>Saved.</translation>
    </message>
</context>
<context>
    <name>PatrolTableModel</name>
    <message>
        <source>开始时间</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>结束时间</source>
        <translation>End</translation>
    </message>
    <message>
        <source>巡查类型</source>
        <translation>Patrol type</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>协作片区</source>
        <translation>Cooperation cluster</translation>
    </message>
    <message>
        <source>参加单位</source>
        <translation>Agencies</translation>
    </message>
    <message>
        <source>人员</source>
        <translation>Officers</translation>
    </message>
    <message>
        <source>证据</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>计划中</source>
        <translation>Planned</translation>
    </message>
    <message>
        <source>进行中</source>
        <translation>In progress</translation>
    </message>
    <message>
        <source>已结束</source>
        <translation>Finished</translation>
    </message>
</context>
<context>
    <name>PdfPreview</name>
    <message>
        <source>文书预览</source>
        <translation>Document preview</translation>
    </message>
    <message>
        <source>选择一份文书查看预览。</source>
        <translation>Select a document to see its preview.</translation>
    </message>
    <message>
        <source>第 {0} 页</source>
        <translation>Page {0}</translation>
    </message>
</context>
<context>
    <name>PhotoText</name>
    <message>
        <source>WGS-84 坐标（卫星定位原始坐标）</source>
        <translation>WGS-84 coordinates (satellite positioning, as recorded)</translation>
    </message>
    <message>
        <source>GCJ-02 坐标（国测局坐标，高德、腾讯地图使用）</source>
        <translation>GCJ-02 coordinates (China's survey datum, used by Amap and Tencent maps)</translation>
    </message>
    <message>
        <source>BD-09 坐标（百度地图使用）</source>
        <translation>BD-09 coordinates (used by Baidu maps)</translation>
    </message>
    <message>
        <source>北纬</source>
        <translation>N</translation>
    </message>
    <message>
        <source>南纬</source>
        <translation>S</translation>
    </message>
    <message>
        <source>东经</source>
        <translation>E</translation>
    </message>
    <message>
        <source>西经</source>
        <translation>W</translation>
    </message>
    <message>
        <source>{0} {1:.6f}°，{2} {3:.6f}°，{4}</source>
        <translation>{0} {1:.6f}°, {2} {3:.6f}°, {4}</translation>
    </message>
    <message>
        <source>{0} 字节</source>
        <translation>{0} bytes</translation>
    </message>
    <message>
        <source>{0}年{1}月{2}日 {3}</source>
        <translation>{0}-{1}-{2} {3}</translation>
    </message>
</context>
<context>
    <name>PinPromptDialog</name>
    <message>
        <source>输入PIN</source>
        <translation>Enter PIN</translation>
    </message>
    <message>
        <source>请 {0} 输入PIN：</source>
        <translation>{0}, please enter your PIN:</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>PIN(&amp;P)：</source>
        <translation>&amp;PIN:</translation>
    </message>
</context>
<context>
    <name>PinSetDialog</name>
    <message>
        <source>设置PIN</source>
        <translation>Set PIN</translation>
    </message>
    <message>
        <source>执法人员：{0}
PIN 为 {1}–{2} 位数字，用于锁屏解锁和切换执法人员。</source>
        <translation>Officer: {0}
The PIN is {1}–{2} digits; it unlocks the lock screen and is asked when switching officer.</translation>
    </message>
    <message>
        <source>当前PIN</source>
        <translation>Current PIN</translation>
    </message>
    <message>
        <source>当前PIN(&amp;C)：</source>
        <translation>&amp;Current PIN:</translation>
    </message>
    <message>
        <source>新PIN</source>
        <translation>New PIN</translation>
    </message>
    <message>
        <source>新PIN(&amp;N)：</source>
        <translation>&amp;New PIN:</translation>
    </message>
    <message>
        <source>再次输入新PIN</source>
        <translation>New PIN again</translation>
    </message>
    <message>
        <source>再次输入(&amp;R)：</source>
        <translation>Again (&amp;R):</translation>
    </message>
</context>
<context>
    <name>PositionDialog</name>
    <message>
        <source>手工定位：{0}</source>
        <translation>Place by hand: {0}</translation>
    </message>
    <message>
        <source>坐标（纬度, 经度）</source>
        <translation>Coordinates (latitude, longitude)</translation>
    </message>
    <message>
        <source>如 31.0135, 120.8370 或 31°0'48.6"N 120°50'13.2"E</source>
        <translation>e.g. 31.0135, 120.8370 or 31°0'48.6"N 120°50'13.2"E</translation>
    </message>
    <message>
        <source>坐标(&amp;C)</source>
        <translation>&amp;Coordinates</translation>
    </message>
    <message>
        <source>坐标系</source>
        <translation>Datum</translation>
    </message>
    <message>
        <source>坐标系(&amp;D)</source>
        <translation>&amp;Datum</translation>
    </message>
    <message>
        <source>管辖预览</source>
        <translation>Jurisdiction preview</translation>
    </message>
    <message>
        <source>管辖</source>
        <translation>Jurisdiction</translation>
    </message>
    <message>
        <source>定位理由</source>
        <translation>Reason for the position</translation>
    </message>
    <message>
        <source>如：照片无GPS，按现场记录定位</source>
        <translation>e.g. the photo has no GPS; placed from the site notes</translation>
    </message>
    <message>
        <source>理由(&amp;R)</source>
        <translation>&amp;Reason</translation>
    </message>
    <message>
        <source>保存位置</source>
        <translation>Save position</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>请输入坐标。</source>
        <translation>Please enter coordinates.</translation>
    </message>
    <message>
        <source>换算为 WGS-84：{0:.6f}, {1:.6f}</source>
        <translation>In WGS-84: {0:.6f}, {1:.6f}</translation>
    </message>
    <message>
        <source>管辖将由 {0} 变为 {1}。</source>
        <translation>Jurisdiction will change from {0} to {1}.</translation>
    </message>
    <message>
        <source>WGS-84（GPS）</source>
        <translation>WGS-84 (GPS)</translation>
    </message>
    <message>
        <source>GCJ-02（高德/腾讯）</source>
        <translation>GCJ-02 (Amap/Tencent)</translation>
    </message>
    <message>
        <source>BD-09（百度）</source>
        <translation>BD-09 (Baidu)</translation>
    </message>
</context>
<context>
    <name>PreviewDialog</name>
    <message>
        <source>证据照片：{0}</source>
        <translation>Evidence photo: {0}</translation>
    </message>
    <message>
        <source>正在加载…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>照片大图</source>
        <translation>Large photo</translation>
    </message>
    <message>
        <source>显示的是按拍摄方向摆正的预览图；原始文件未作任何改动。</source>
        <translation>This is a preview turned upright as the camera was held; the original file is unchanged.</translation>
    </message>
    <message>
        <source>无法显示该照片的预览（文件可能已损坏，请运行校验）。</source>
        <translation>Cannot show a preview of this photo (the file may be damaged: run a verification).</translation>
    </message>
</context>
<context>
    <name>ProfileDialog</name>
    <message>
        <source>执法人员档案</source>
        <translation>Officer profile</translation>
    </message>
    <message>
        <source>欢迎使用</source>
        <translation>Welcome</translation>
    </message>
    <message>
        <source>这是本机第一次启动。请填写使用本机的执法人员信息，之后记录的巡查、证据和文书都会注明由谁完成。</source>
        <translation>This is the first start on this computer. Enter the officer using it: every patrol, piece of evidence and document recorded from now on names who did it.</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>执法证号</source>
        <translation>Badge number</translation>
    </message>
    <message>
        <source>所属执法机关</source>
        <translation>Enforcement agency</translation>
    </message>
    <message>
        <source>请选择所属执法机关</source>
        <translation>Choose the enforcement agency</translation>
    </message>
    <message>
        <source>姓名(&amp;N)：</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>执法证号(&amp;B)：</source>
        <translation>&amp;Badge number:</translation>
    </message>
    <message>
        <source>所属执法机关(&amp;A)：</source>
        <translation>&amp;Agency:</translation>
    </message>
    <message>
        <source>联系电话（可选）</source>
        <translation>Telephone (optional)</translation>
    </message>
    <message>
        <source>如 13812345678 或 021-59721234，印在文书附注</source>
        <translation>e.g. 13812345678 or 021-59721234 (for letters)</translation>
    </message>
    <message>
        <source>联系电话（可选）(&amp;T)：</source>
        <translation>&amp;Telephone (optional):</translation>
    </message>
    <message>
        <source>PIN（可选）</source>
        <translation>PIN (optional)</translation>
    </message>
    <message>
        <source>{0}–{1} 位数字，用于锁屏解锁</source>
        <translation>{0}–{1} digits, unlocks the lock screen</translation>
    </message>
    <message>
        <source>再次输入PIN</source>
        <translation>PIN again</translation>
    </message>
    <message>
        <source>PIN（可选）(&amp;P)：</source>
        <translation>&amp;PIN (optional):</translation>
    </message>
    <message>
        <source>再次输入PIN(&amp;R)：</source>
        <translation>PIN again (&amp;R):</translation>
    </message>
    <message>
        <source>加载演示数据（培训用，不会同步到正式平台）(&amp;D)</source>
        <translation>Load &amp;demo data (for training; never synced to the live platform)</translation>
    </message>
    <message>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>请填写姓名。</source>
        <translation>Please enter the name.</translation>
    </message>
    <message>
        <source>请填写执法证号。</source>
        <translation>Please enter the badge number.</translation>
    </message>
    <message>
        <source>请选择所属执法机关。</source>
        <translation>Please choose the enforcement agency.</translation>
    </message>
    <message>
        <source>联系电话格式不正确。请填写手机号（如 13812345678）或带区号的固定电话（如 021-59721234）。</source>
        <translation>The telephone number is not valid. Enter a mobile number (e.g. 13812345678) or a landline with its area code (e.g. 021-59721234).</translation>
    </message>
</context>
<context>
    <name>RawExifDialog</name>
    <message>
        <source>图像</source>
        <translation>Image</translation>
    </message>
    <message>
        <source>拍摄参数</source>
        <translation>Shooting</translation>
    </message>
    <message>
        <source>GPS</source>
        <translation>GPS</translation>
    </message>
    <message>
        <source>缩略图</source>
        <translation>Thumbnail</translation>
    </message>
    <message>
        <source>互操作</source>
        <translation>Interoperability</translation>
    </message>
    <message>
        <source>相机厂商</source>
        <translation>Camera make</translation>
    </message>
    <message>
        <source>相机型号</source>
        <translation>Camera model</translation>
    </message>
    <message>
        <source>软件</source>
        <translation>Software</translation>
    </message>
    <message>
        <source>方向</source>
        <translation>Orientation</translation>
    </message>
    <message>
        <source>修改时间</source>
        <translation>Modified</translation>
    </message>
    <message>
        <source>拍摄时间</source>
        <translation>Taken</translation>
    </message>
    <message>
        <source>数字化时间</source>
        <translation>Digitised</translation>
    </message>
    <message>
        <source>时区（修改时间）</source>
        <translation>Time zone (modified)</translation>
    </message>
    <message>
        <source>时区（拍摄时间）</source>
        <translation>Time zone (taken)</translation>
    </message>
    <message>
        <source>时区（数字化时间）</source>
        <translation>Time zone (digitised)</translation>
    </message>
    <message>
        <source>亚秒（修改时间）</source>
        <translation>Sub-second (modified)</translation>
    </message>
    <message>
        <source>亚秒（拍摄时间）</source>
        <translation>Sub-second (taken)</translation>
    </message>
    <message>
        <source>亚秒（数字化时间）</source>
        <translation>Sub-second (digitised)</translation>
    </message>
    <message>
        <source>水平分辨率</source>
        <translation>Horizontal resolution</translation>
    </message>
    <message>
        <source>垂直分辨率</source>
        <translation>Vertical resolution</translation>
    </message>
    <message>
        <source>分辨率单位</source>
        <translation>Resolution unit</translation>
    </message>
    <message>
        <source>图像宽度</source>
        <translation>Image width</translation>
    </message>
    <message>
        <source>图像高度</source>
        <translation>Image height</translation>
    </message>
    <message>
        <source>曝光时间</source>
        <translation>Exposure time</translation>
    </message>
    <message>
        <source>光圈值</source>
        <translation>Aperture (f-number)</translation>
    </message>
    <message>
        <source>感光度（ISO）</source>
        <translation>Sensitivity (ISO)</translation>
    </message>
    <message>
        <source>焦距</source>
        <translation>Focal length</translation>
    </message>
    <message>
        <source>等效35毫米焦距</source>
        <translation>35 mm equivalent focal length</translation>
    </message>
    <message>
        <source>闪光灯</source>
        <translation>Flash</translation>
    </message>
    <message>
        <source>白平衡</source>
        <translation>White balance</translation>
    </message>
    <message>
        <source>曝光程序</source>
        <translation>Exposure program</translation>
    </message>
    <message>
        <source>曝光模式</source>
        <translation>Exposure mode</translation>
    </message>
    <message>
        <source>测光模式</source>
        <translation>Metering mode</translation>
    </message>
    <message>
        <source>镜头型号</source>
        <translation>Lens model</translation>
    </message>
    <message>
        <source>镜头厂商</source>
        <translation>Lens make</translation>
    </message>
    <message>
        <source>机身序列号</source>
        <translation>Body serial number</translation>
    </message>
    <message>
        <source>色彩空间</source>
        <translation>Colour space</translation>
    </message>
    <message>
        <source>EXIF版本</source>
        <translation>EXIF version</translation>
    </message>
    <message>
        <source>EXIF数据位置</source>
        <translation>EXIF data offset</translation>
    </message>
    <message>
        <source>YCbCr定位</source>
        <translation>YCbCr positioning</translation>
    </message>
    <message>
        <source>压缩方式</source>
        <translation>Compression</translation>
    </message>
    <message>
        <source>缩略图位置</source>
        <translation>Thumbnail offset</translation>
    </message>
    <message>
        <source>缩略图长度</source>
        <translation>Thumbnail length</translation>
    </message>
    <message>
        <source>GPS数据位置</source>
        <translation>GPS data offset</translation>
    </message>
    <message>
        <source>GPS版本</source>
        <translation>GPS version</translation>
    </message>
    <message>
        <source>纬度方向</source>
        <translation>Latitude reference</translation>
    </message>
    <message>
        <source>纬度（度、分、秒）</source>
        <translation>Latitude (degrees, minutes, seconds)</translation>
    </message>
    <message>
        <source>经度方向</source>
        <translation>Longitude reference</translation>
    </message>
    <message>
        <source>经度（度、分、秒）</source>
        <translation>Longitude (degrees, minutes, seconds)</translation>
    </message>
    <message>
        <source>海拔基准</source>
        <translation>Altitude reference</translation>
    </message>
    <message>
        <source>海拔（米）</source>
        <translation>Altitude (m)</translation>
    </message>
    <message>
        <source>GPS时间（UTC）</source>
        <translation>GPS time (UTC)</translation>
    </message>
    <message>
        <source>GPS日期（UTC）</source>
        <translation>GPS date (UTC)</translation>
    </message>
    <message>
        <source>大地基准</source>
        <translation>Map datum</translation>
    </message>
    <message>
        <source>拍摄方向基准</source>
        <translation>Image direction reference</translation>
    </message>
    <message>
        <source>拍摄方向</source>
        <translation>Image direction</translation>
    </message>
    <message>
        <source>速度单位</source>
        <translation>Speed unit</translation>
    </message>
    <message>
        <source>速度</source>
        <translation>Speed</translation>
    </message>
    <message>
        <source>水平定位误差（米）</source>
        <translation>Horizontal positioning error (m)</translation>
    </message>
    <message>
        <source>定位方式</source>
        <translation>Positioning method</translation>
    </message>
    <message>
        <source>卫星</source>
        <translation>Satellites</translation>
    </message>
    <message>
        <source>精度因子</source>
        <translation>Dilution of precision</translation>
    </message>
    <message>
        <source>原始EXIF：{0}</source>
        <extracomment>Chinese names of the tags cameras and phones commonly write (key without its IFD prefix). The IFD a tag comes from, in words.</extracomment>
        <translation>Raw EXIF: {0}</translation>
    </message>
    <message>
        <source>照片中读取到的全部标签（共 {0} 项），数值按原样显示。</source>
        <translation>Every tag read from the photo ({0} in all), values as read.</translation>
    </message>
    <message>
        <source>筛选标签或数值</source>
        <translation>Filter tags or values</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>标签</source>
        <translation>Tag</translation>
    </message>
    <message>
        <source>数值</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>ReturnDialog</name>
    <message>
        <source>退回移送</source>
        <translation>Return the transfer</translation>
    </message>
    <message>
        <source>不同意联合查处</source>
        <translation>Decline joint investigation</translation>
    </message>
    <message>
        <source>答复 {0}：不同意，须写明理由(&amp;R)：</source>
        <translation>Answer {0}: decline, with the reasons (&amp;R):</translation>
    </message>
    <message>
        <source>退回 {0}，须写明理由(&amp;R)：</source>
        <translation>Return {0}; the &amp;reason is required:</translation>
    </message>
    <message>
        <source>退回理由</source>
        <translation>Reason for returning</translation>
    </message>
    <message>
        <source>法律依据(&amp;B)：</source>
        <translation>Legal basis (&amp;B):</translation>
    </message>
    <message>
        <source>法律依据</source>
        <translation>Legal basis</translation>
    </message>
    <message>
        <source>将签发编号的退回函，同步后送达移送机关。</source>
        <translation>A numbered return letter is issued and reaches the sender with the next sync.</translation>
    </message>
    <message>
        <source>退回</source>
        <translation>Return</translation>
    </message>
    <message>
        <source>不同意</source>
        <translation>Decline</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>界面语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>界面语言(&amp;L)：</source>
        <translation>&amp;Language:</translation>
    </message>
    <message>
        <source>大字模式（户外强光下使用）(&amp;G)</source>
        <translation>Lar&amp;ge text (for outdoor use in bright light)</translation>
    </message>
    <message>
        <source>无操作自动锁定时间</source>
        <translation>Lock after no input for</translation>
    </message>
    <message>
        <source> 分钟</source>
        <translation> min</translation>
    </message>
    <message>
        <source>从不</source>
        <translation>never</translation>
    </message>
    <message>
        <source>无操作自动锁定(&amp;I)：</source>
        <translation>Lock when &amp;idle:</translation>
    </message>
    <message>
        <source>界面语言在下次启动时生效；大字模式和锁定时间立即生效。</source>
        <translation>The language takes effect at the next start; large text and the lock time at once.</translation>
    </message>
    <message>
        <source>共用笔记本：请每位执法人员都设置PIN，否则锁屏只能遮挡数据。</source>
        <translation>Shared laptop: every officer should set a PIN, otherwise the lock screen only hides the data.</translation>
    </message>
</context>
<context>
    <name>StatsPage</name>
    <message>
        <source>自定义时段</source>
        <translation>Custom period</translation>
    </message>
    <message>
        <source>统计时段</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>起始日期</source>
        <translation>Start date</translation>
    </message>
    <message>
        <source>截止日期</source>
        <translation>End date</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>生成通报(&amp;G)…</source>
        <translation>&amp;Generate bulletin…</translation>
    </message>
    <message>
        <source>按当前统计数字生成专项通报（PDF）及其表格</source>
        <translation>A bulletin (PDF) and its tables from the figures now on screen</translation>
    </message>
    <message>
        <source>打开通报(&amp;O)</source>
        <translation>&amp;Open bulletin</translation>
    </message>
    <message>
        <source>统计时段：</source>
        <translation>Period:</translation>
    </message>
    <message>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <source>统计数字</source>
        <translation>Figure</translation>
    </message>
    <message>
        <source>分组统计</source>
        <translation>Breakdown</translation>
    </message>
    <message>
        <source>分组</source>
        <translation>Group</translation>
    </message>
    <message>
        <source>项目</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>数量</source>
        <translation>Count</translation>
    </message>
    <message>
        <source>单击上方数字查看对应记录；双击记录打开。</source>
        <translation>Click a number above to list its records; double-click a record to open it.</translation>
    </message>
    <message>
        <source>对应记录</source>
        <translation>Matching records</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>摘要</source>
        <translation>Summary</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>按月</source>
        <translation>By month</translation>
    </message>
    <message>
        <source>违法类型</source>
        <translation>Violation type</translation>
    </message>
    <message>
        <source>辖区分布</source>
        <translation>By jurisdiction</translation>
    </message>
    <message>
        <source>结束日期早于开始日期。</source>
        <translation>The end date is before the start date.</translation>
    </message>
    <message>
        <source>正在统计…</source>
        <translation>Counting…</translation>
    </message>
    <message>
        <source>统计失败：{0}</source>
        <translation>Statistics failed: {0}</translation>
    </message>
    <message>
        <source>{0}，{1}，截至{2}；按本机记录统计，演示培训数据不计入</source>
        <translation>{0}, {1}, as of {2}; from the records on this computer, demo/training data not counted</translation>
    </message>
    <message>
        <source>巡查类型</source>
        <translation>Patrol type</translation>
    </message>
    <message>
        <source>辖区</source>
        <translation>Jurisdiction</translation>
    </message>
    <message>
        <source>草稿</source>
        <translation>draft</translation>
    </message>
    <message>
        <source>已生成通报（{0}，{1}页）：{2}</source>
        <translation>Bulletin made ({0}, {1} pages): {2}</translation>
    </message>
    <message>
        <source>通报未生成。</source>
        <translation>No bulletin was made.</translation>
    </message>
    <message>
        <source>生成通报</source>
        <translation>Make bulletin</translation>
    </message>
    <message>
        <source>正在生成通报…</source>
        <translation>Making the bulletin…</translation>
    </message>
    <message>
        <source>{0}：{1}（{2}条记录）</source>
        <translation>{0}: {1} ({2} records)</translation>
    </message>
    <message>
        <source>巡查</source>
        <translation>Patrols</translation>
    </message>
    <message>
        <source>案件</source>
        <translation>Cases</translation>
    </message>
    <message>
        <source>待签收</source>
        <translation>awaiting receipt</translation>
    </message>
    <message>
        <source>待反馈</source>
        <translation>awaiting feedback</translation>
    </message>
    <message>
        <source>已办结</source>
        <translation>concluded</translation>
    </message>
    <message>
        <source>（逾期）</source>
        <translation>(overdue)</translation>
    </message>
    <message>
        <source>移送</source>
        <translation>Transfers</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>协作平台</source>
        <translation>Cooperation platform</translation>
    </message>
    <message>
        <source>登录(&amp;L)…</source>
        <translation>&amp;Log in…</translation>
    </message>
    <message>
        <source>登录协作平台</source>
        <translation>Log in to the cooperation platform</translation>
    </message>
    <message>
        <source>立即同步(&amp;Y)</source>
        <translation>S&amp;ync now</translation>
    </message>
    <message>
        <source>立即与协作平台同步</source>
        <translation>Sync with the cooperation platform now</translation>
    </message>
    <message>
        <source>取消同步</source>
        <translation>Cancel sync</translation>
    </message>
    <message>
        <source>取消正在进行的同步</source>
        <translation>Cancel the running sync</translation>
    </message>
    <message>
        <source>同步进度</source>
        <translation>Sync progress</translation>
    </message>
    <message>
        <source>案件移送</source>
        <translation>Case transfers</translation>
    </message>
    <message>
        <source>同步记录</source>
        <translation>Sync records</translation>
    </message>
    <message>
        <source>案件移送列表</source>
        <translation>Case transfer list</translation>
    </message>
    <message>
        <source>接收(&amp;A)</source>
        <translation>&amp;Accept</translation>
    </message>
    <message>
        <source>接收移送并出具回执</source>
        <translation>Accept the transfer and issue a receipt</translation>
    </message>
    <message>
        <source>退回(&amp;R)…</source>
        <translation>&amp;Return…</translation>
    </message>
    <message>
        <source>反馈(&amp;F)…</source>
        <translation>Report outcome (&amp;F)…</translation>
    </message>
    <message>
        <source>退回移送（签发退回函）</source>
        <translation>Return the transfer (issues a return letter)</translation>
    </message>
    <message>
        <source>反馈处理结果（签发反馈函）</source>
        <translation>Report the result (issues a feedback letter)</translation>
    </message>
    <message>
        <source>待同步记录列表</source>
        <translation>Records waiting to sync</translation>
    </message>
    <message>
        <source>重试(&amp;T)</source>
        <translation>Re&amp;try</translation>
    </message>
    <message>
        <source>重试选中的已搁置记录</source>
        <translation>Retry the selected set-aside records</translation>
    </message>
    <message>
        <source>尚未登录协作平台。请点“登录”，输入平台地址和令牌。</source>
        <translation>Not logged in to the cooperation platform. Click “Log in” and enter the platform address and token.</translation>
    </message>
    <message>
        <source>重新登录(&amp;L)…</source>
        <translation>&amp;Log in again…</translation>
    </message>
    <message>
        <source>已登录：{0}</source>
        <translation>Logged in: {0}</translation>
    </message>
    <message>
        <source>（在线）</source>
        <translation>(online)</translation>
    </message>
    <message>
        <source>待上传 {0} 条，已搁置 {1} 条，已上传 {2} 条</source>
        <translation>{0} to upload, {1} set aside, {2} uploaded</translation>
    </message>
    <message>
        <source>尚未同步过。</source>
        <translation>Never synced yet.</translation>
    </message>
    <message>
        <source>离线：{0}</source>
        <translation>Offline: {0}</translation>
    </message>
    <message>
        <source>（培训平台）</source>
        <translation>(training platform)</translation>
    </message>
    <message>
        <source>已登录 {0}{1}：{2}（{3}）</source>
        <translation>Logged in to {0}{1}: {2} ({3})</translation>
    </message>
    <message>
        <source>正在登录…</source>
        <translation>Logging in…</translation>
    </message>
    <message>
        <source>正在连接平台…</source>
        <translation>Connecting to the platform…</translation>
    </message>
    <message>
        <source>正在取消…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <source>记录 {0}/{1}，已上传 {2:.1f} MB</source>
        <translation>Record {0}/{1}, {2:.1f} MB uploaded</translation>
    </message>
    <message>
        <source>在线：{0}</source>
        <translation>Online: {0}</translation>
    </message>
    <message>
        <source>{0} 条记录将在下次同步时重新上传。</source>
        <translation>{0} records will be uploaded again at the next sync.</translation>
    </message>
    <message>
        <source>同意(&amp;A)</source>
        <translation>Agree (&amp;A)</translation>
    </message>
    <message>
        <source>不同意(&amp;R)…</source>
        <translation>Decline (&amp;R)…</translation>
    </message>
    <message>
        <source>正在办理…</source>
        <translation>Working…</translation>
    </message>
    <message>
        <source>已签发{0}：{1}（同步后送达对方）</source>
        <translation>Issued {0}: {1} (reaches the other agency with the next sync)</translation>
    </message>
    <message>
        <source>处理结果已反馈：{0}，反馈函文号：{1}（同步后送达对方）</source>
        <translation>Result reported: {0}, feedback letter {1} (reaches the other agency with the next sync)</translation>
    </message>
    <message>
        <source>上次同步（{0}）：</source>
        <translation>Last sync ({0}): </translation>
    </message>
    <message>
        <source>（当前离线，联网后自动同步）</source>
        <translation>(offline now; syncs automatically once online)</translation>
    </message>
    <message>
        <source>登录失败：</source>
        <translation>Login failed: </translation>
    </message>
</context>
<context>
    <name>TransferModel</name>
    <message>
        <source>移入</source>
        <translation>Incoming</translation>
    </message>
    <message>
        <source>移出</source>
        <translation>Outgoing</translation>
    </message>
    <message>
        <source>（已逾期）</source>
        <translation>(overdue)</translation>
    </message>
    <message>
        <source>已移送</source>
        <translation>Sent</translation>
    </message>
    <message>
        <source>已接收</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>已退回</source>
        <translation>Returned</translation>
    </message>
    <message>
        <source>已反馈</source>
        <translation>Result reported</translation>
    </message>
    <message>
        <source>已商请</source>
        <translation>Requested</translation>
    </message>
    <message>
        <source>已同意</source>
        <translation>Agreed</translation>
    </message>
    <message>
        <source>已拒绝</source>
        <translation>Declined</translation>
    </message>
    <message>
        <source>案件移送</source>
        <translation>Case transfer</translation>
    </message>
    <message>
        <source>联合查处</source>
        <translation>Joint investigation</translation>
    </message>
</context>
<context>
    <name>VerifyDialog</name>
    <message>
        <source>未能完成核验：</source>
        <translation>Verification could not be completed: </translation>
    </message>
    <message>
        <source>核验通过</source>
        <translation>Verified</translation>
    </message>
    <message>
        <source>核验证据与日志</source>
        <translation>Verify evidence and journal</translation>
    </message>
    <message>
        <source>重新计算每个证据文件的SHA-256，逐条核对执法日志的哈希链，并与平台签名的见证回执比对。</source>
        <translation>Recomputes the SHA-256 of every evidence file, walks the journal's hash chain entry by entry and compares it with the receipts the platform signed.</translation>
    </message>
    <message>
        <source>同时与平台核对(&amp;P)（需联网；回执被一并删除时也能发现）</source>
        <translation>Also check against the &amp;platform (needs the network; catches deleted receipts too)</translation>
    </message>
    <message>
        <source>开始核验(&amp;S)</source>
        <translation>&amp;Start</translation>
    </message>
    <message>
        <source>发现的问题</source>
        <translation>Problems found</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>正在核验…</source>
        <translation>Verifying…</translation>
    </message>
    <message>
        <source>{0} 个证据文件，{1} 条日志。</source>
        <translation>{0} evidence files, {1} journal entries.</translation>
    </message>
    <message>
        <source>发现 {0} 个问题</source>
        <translation>{0} problems found</translation>
    </message>
    <message>
        <source>【平台见证】</source>
        <translation>[Platform witness] </translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>无法打开数据库</source>
        <extracomment>After start-up, when the first screen and the sync page are built: collect once, then freeze.</extracomment>
        <translation>Cannot open the database</translation>
    </message>
    <message>
        <source>长三角城管执法协作助手</source>
        <translation>YRD Urban Enforcement Cooperation Assistant</translation>
    </message>
</context>
<context>
    <name>crash</name>
    <message>
        <source>程序出错</source>
        <translation>Program error</translation>
    </message>
    <message>
        <source>程序遇到意外错误，已保存的数据不受影响。
错误报告：{0}

{1}</source>
        <translation>The program hit an unexpected error. Data already saved is not affected.
Error report: {0}

{1}</translation>
    </message>
</context>
<context>
    <name>dialogs</name>
    <message>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>error_text</name>
    <message>
        <source>操作未能完成。</source>
        <translation>The operation could not be completed.</translation>
    </message>
    <message>
        <source>无法按所给的要求执行。</source>
        <translation>This cannot be done as requested.</translation>
    </message>
    <message>
        <source>找不到所要的记录。</source>
        <translation>The record was not found.</translation>
    </message>
    <message>
        <source>填写的内容不符合要求，请检查后重试。</source>
        <translation>Some of the input is not valid. Please check it and try again.</translation>
    </message>
    <message>
        <source>当前状态下不能进行此操作。</source>
        <translation>This step is not allowed in the record's current state.</translation>
    </message>
    <message>
        <source>该记录已被他人修改，请重新打开后再试。</source>
        <translation>Someone else changed this record in the meantime. Reopen it and try again.</translation>
    </message>
    <message>
        <source>当事人姓名不能为空。</source>
        <translation>The party's name is required.</translation>
    </message>
    <message>
        <source>当事单位名称不能为空。</source>
        <translation>The organisation's name is required.</translation>
    </message>
    <message>
        <source>当事人“{name}”的居民身份证号 {number} 无效（请核对位数、出生日期和校验位）。</source>
        <translation>The resident ID number {number} of “{name}” is not valid (check the number of digits, the date of birth and the check digit).</translation>
    </message>
    <message>
        <source>当事单位“{name}”的统一社会信用代码 {number} 无效（请核对位数和字符）。</source>
        <translation>The unified social credit code {number} of “{name}” is not valid (check the number of characters and the characters used).</translation>
    </message>
    <message>
        <source>号牌 {plate} 无效（请核对省份简称、位数和字母）。</source>
        <translation>The number plate {plate} is not valid (check the province character, the length and the letters).</translation>
    </message>
    <message>
        <source>本单位的文号已用完，请申请新的文号段。</source>
        <translation>Your agency's document numbers are used up. Request a new block of numbers.</translation>
    </message>
    <message>
        <source>不能签发：{count} 处法律依据未经核实。请对照公布的条文核实后确认，再签发。</source>
        <translation>Cannot issue: {count} legal basis citation(s) are not verified. Check them against the published text and confirm, then issue.</translation>
    </message>
    <message>
        <source>{field}：“{value}”不在可选项中。</source>
        <translation>{field}: “{value}” is not one of the options.</translation>
    </message>
    <message>
        <source>{field}：日期格式应为 2026-03-05。</source>
        <translation>{field}: the date must be written like 2026-03-05.</translation>
    </message>
    <message>
        <source>{field}：不能超过{max}个字（现为{count}个）。</source>
        <translation>{field}: at most {max} characters (now {count}).</translation>
    </message>
    <message>
        <source>{field}：身份证号无效（请核对位数、出生日期和校验位）。</source>
        <translation>{field}: the resident ID number is not valid (check the number of digits, the date of birth and the check digit).</translation>
    </message>
    <message>
        <source>{field}：统一社会信用代码无效。</source>
        <translation>{field}: the unified social credit code is not valid.</translation>
    </message>
    <message>
        <source>{field}：号牌无效。</source>
        <translation>{field}: the number plate is not valid.</translation>
    </message>
    <message>
        <source>{field}：电话号码格式不正确。</source>
        <translation>{field}: the phone number is not in a valid form.</translation>
    </message>
    <message>
        <source>{field}：金额应为数字（元），如 5000。</source>
        <translation>{field}: the amount must be a number of yuan, e.g. 5000.</translation>
    </message>
    <message>
        <source>{field}：时间格式应为 9:48 或 9时48分。</source>
        <translation>{field}: the time must be written like 9:48 or 9时48分.</translation>
    </message>
    <message>
        <source>结束时间应晚于开始时间。</source>
        <translation>The end time must be later than the start time.</translation>
    </message>
    <message>
        <source>请至少选择一个参加单位。</source>
        <translation>Choose at least one participating agency.</translation>
    </message>
    <message>
        <source>执法人员 {name} 的所属单位不在参加单位中。</source>
        <translation>The agency of officer {name} is not among the participating agencies.</translation>
    </message>
    <message>
        <source>请填写更正理由。</source>
        <translation>Please give the reason for the correction.</translation>
    </message>
    <message>
        <source>新值与原值相同，无需更正。</source>
        <translation>The new value is the same as the old one; nothing to correct.</translation>
    </message>
    <message>
        <source>不能签发：还有 {count} 个必填项未填写。</source>
        <translation>Cannot issue: {count} required field(s) are still empty.</translation>
    </message>
    <message>
        <source>文书无法排版打印（缺少字体或字形）。</source>
        <translation>The document cannot be typeset for printing (a font or some glyphs are missing).</translation>
    </message>
    <message>
        <source>证据包未能生成。</source>
        <translation>The evidence package could not be made.</translation>
    </message>
    <message>
        <source>备份或恢复未能完成，现有数据不受影响。</source>
        <translation>The backup or restore could not be completed. The existing data is not affected.</translation>
    </message>
    <message>
        <source>无法写入“{path}”，请换一个文件夹。</source>
        <translation>Cannot write “{path}”. Please choose another folder.</translation>
    </message>
    <message>
        <source>通报已签发为{number}并已存档，但无法写入“{path}”。可在“文书”页另存为PDF。</source>
        <translation>The bulletin was issued as {number} and archived, but “{path}” could not be written. Save it as a PDF from the Documents page.</translation>
    </message>
    <message>
        <source>无法读写 {path}。</source>
        <translation>Cannot read or write {path}.</translation>
    </message>
    <message>
        <source>{path} 不是普通文件。</source>
        <translation>{path} is not a regular file.</translation>
    </message>
    <message>
        <source>{path} 是一个文件夹，请写上要保存的文件名。</source>
        <translation>{path} is a folder; please type the name of the file to save.</translation>
    </message>
    <message>
        <source>无法写入 {path}。</source>
        <translation>Cannot write {path}.</translation>
    </message>
    <message>
        <source>磁盘已满，无法写入 {path}。请清理磁盘空间后重试。</source>
        <translation>The disk is full: cannot write {path}. Free some disk space and try again.</translation>
    </message>
    <message>
        <source>没有权限写入 {path}。请换一个可写的位置。</source>
        <translation>No permission to write {path}. Choose a location you can write to.</translation>
    </message>
    <message>
        <source>数据未能保存，已保存的数据不受影响。</source>
        <translation>The data could not be saved. The data already saved is not affected.</translation>
    </message>
    <message>
        <source>磁盘已满，无法保存数据。请清理磁盘空间后重试，已保存的数据不受影响。</source>
        <translation>The disk is full, so the data cannot be saved. Free some disk space and try again; the data already saved is not affected.</translation>
    </message>
    <message>
        <source>数据库被占用（可能另一个程序正在使用），请稍后重试。</source>
        <translation>The database is in use (perhaps by another program). Please try again shortly.</translation>
    </message>
    <message>
        <source>数据目录不可写，无法保存。请检查数据目录的写入权限。</source>
        <translation>The data folder is not writable, so nothing can be saved. Check the write permission of the data folder.</translation>
    </message>
    <message>
        <source>数据库文件已损坏。请从备份恢复，或联系信息管理人员。</source>
        <translation>The database file is damaged. Restore it from a backup, or contact your IT administrator.</translation>
    </message>
    <message>
        <source>所选文件不是本软件的数据库文件。</source>
        <translation>The selected file is not a database of this application.</translation>
    </message>
    <message>
        <source>该数据库由更新版本的软件创建。请升级软件后再打开，数据库未作任何改动。</source>
        <translation>This database was created by a newer version of the application. Upgrade the application before opening it; the database has not been changed.</translation>
    </message>
    <message>
        <source>数据库升级失败，原数据库未改动（升级前已备份）。请联系信息管理人员。</source>
        <translation>Upgrading the database failed; the original database is unchanged (it was backed up first). Please contact your IT administrator.</translation>
    </message>
    <message>
        <source>本机的 SQLite 组件（版本 {version}）缺少全文检索功能（{feature}），无法打开数据库。请重新安装本软件或联系信息管理人员，数据库未作任何改动。</source>
        <translation>This computer's SQLite (version {version}) lacks full-text search ({feature}), so the database cannot be opened. Reinstall the application or contact your IT administrator; the database has not been changed.</translation>
    </message>
    <message>
        <source>文件无法处理。</source>
        <translation>The file cannot be processed.</translation>
    </message>
    <message>
        <source>不是可导入的照片或录音录像文件。</source>
        <translation>Not a photo, audio or video file that can be imported.</translation>
    </message>
    <message>
        <source>文件数据损坏或不完整。</source>
        <translation>The file's data is damaged or incomplete.</translation>
    </message>
    <message>
        <source>图片像素过多，疑似解压炸弹。</source>
        <translation>The image declares too many pixels (a possible decompression bomb).</translation>
    </message>
    <message>
        <source>无法读取文件。</source>
        <translation>The file cannot be read.</translation>
    </message>
    <message>
        <source>轨迹文件无法使用（编码错误、坐标无效或没有轨迹点）。</source>
        <translation>The track file cannot be used (wrong encoding, invalid coordinates or no track points).</translation>
    </message>
    <message>
        <source>不支持的格式（{format}）。</source>
        <translation>Unsupported format ({format}).</translation>
    </message>
    <message>
        <source>文件是空的，没有任何数据。</source>
        <translation>The file is empty.</translation>
    </message>
    <message>
        <source>文件已不存在（可能在导入过程中被移走）。</source>
        <translation>The file no longer exists (perhaps it was moved during the import).</translation>
    </message>
    <message>
        <source>无法读取该文件（权限不足或介质故障）。</source>
        <translation>The file cannot be read (no permission, or a fault of the medium).</translation>
    </message>
    <message>
        <source>不支持的录音录像格式（文件内容无法识别）。</source>
        <translation>Unsupported audio or video format (the file's content is not recognised).</translation>
    </message>
    <message>
        <source>同步失败，未完成的部分将在下次同步时继续。</source>
        <translation>Sync failed. What is not finished continues at the next sync.</translation>
    </message>
    <message>
        <source>暂时无法连接同步平台（网络中断或平台繁忙），请稍后重试。</source>
        <translation>The sync platform cannot be reached for now (network down or platform busy). Please try again later.</translation>
    </message>
    <message>
        <source>同步平台拒绝了请求（状态码 {status}）。</source>
        <translation>The sync platform refused the request (status {status}).</translation>
    </message>
    <message>
        <source>尚未登录同步平台，请先登录。</source>
        <translation>Not logged in to the sync platform. Please log in first.</translation>
    </message>
    <message>
        <source>本机没有可用的系统密钥库，无法安全保存登录令牌。请启用系统密钥库后重试。</source>
        <translation>This computer has no usable system keyring, so the login token cannot be kept safely. Enable the system keyring and try again.</translation>
    </message>
    <message>
        <source>平台地址不正确，或未使用 https 加密连接（仅本机测试地址可用 http）。</source>
        <translation>The platform address is wrong or does not use an encrypted https connection (http is allowed only for a local test address).</translation>
    </message>
    <message>
        <source>同步已取消，未完成的部分将在下次同步时继续。</source>
        <translation>Sync was cancelled. What is not finished continues at the next sync.</translation>
    </message>
    <message>
        <source>平台见证无法核实。</source>
        <translation>The platform's witness could not be verified.</translation>
    </message>
    <message>
        <source>登录已失效或凭据不正确，请重新登录。</source>
        <translation>The login has expired or the credentials are wrong. Please log in again.</translation>
    </message>
    <message>
        <source>无权访问该数据。</source>
        <translation>You are not allowed to access this data.</translation>
    </message>
    <message>
        <source>平台与本软件的版本不兼容，请升级软件。</source>
        <translation>The platform and this application are not compatible. Please upgrade the application.</translation>
    </message>
    <message>
        <source>平台拒绝了请求：数据格式不正确。</source>
        <translation>The platform refused the request: the data is not in the expected form.</translation>
    </message>
    <message>
        <source>上传的位置与平台记录的不一致。</source>
        <translation>The upload position does not match the platform's record.</translation>
    </message>
    <message>
        <source>文件校验值不一致，传输中可能已损坏。</source>
        <translation>The file's checksum does not match; it may have been damaged in transfer.</translation>
    </message>
    <message>
        <source>平台当前的运行模式不允许此操作。</source>
        <translation>The platform's current mode does not allow this.</translation>
    </message>
    <message>
        <source>数据过大，平台拒绝接收。</source>
        <translation>The data is too large for the platform to accept.</translation>
    </message>
    <message>
        <source>同一文件正在上传，请稍后重试。</source>
        <translation>The same file is being uploaded. Please try again shortly.</translation>
    </message>
    <message>
        <source>平台签名密钥不可用。</source>
        <translation>The platform's signing key is not usable.</translation>
    </message>
    <message>
        <source>同步包格式不正确或已损坏，已拒收。</source>
        <translation>The sync bundle is malformed or damaged and was refused.</translation>
    </message>
    <message>
        <source>无法连接平台数据库。</source>
        <translation>The platform database cannot be reached.</translation>
    </message>
</context>
<context>
    <name>flags</name>
    <message>
        <source>缺少原始拍摄时间，使用了文件时间</source>
        <translation>No original capture time; the file time was used</translation>
    </message>
    <message>
        <source>照片未记录时区，按东八区处理</source>
        <translation>No time zone in the photo; UTC+8 assumed</translation>
    </message>
    <message>
        <source>相机时间疑似未设置（出厂默认日期）</source>
        <translation>Camera clock probably never set (factory default date)</translation>
    </message>
    <message>
        <source>拍摄时间晚于导入时间</source>
        <translation>Capture time is later than the import time</translation>
    </message>
    <message>
        <source>相机时钟与GPS时钟相差过大</source>
        <translation>Camera clock and GPS clock differ too much</translation>
    </message>
    <message>
        <source>无相机拍摄信息（可能经聊天软件转发）</source>
        <translation>No camera information (perhaps forwarded through a chat app)</translation>
    </message>
    <message>
        <source>无拍摄时间</source>
        <translation>No capture time</translation>
    </message>
    <message>
        <source>无位置信息</source>
        <translation>No position</translation>
    </message>
    <message>
        <source>GPS数据异常</source>
        <translation>Odd GPS data</translation>
    </message>
    <message>
        <source>EXIF信息无法解析</source>
        <translation>EXIF data unreadable</translation>
    </message>
    <message>
        <source>录像时间按文件规范视为UTC换算，部分记录仪写入的是本地时间，请核对</source>
        <translation>Recording time read as UTC as the file format defines; some body cameras write local time there, please check</translation>
    </message>
    <message>
        <source>录音录像文件不完整（可能录制时断电），只读取了可读部分</source>
        <translation>Recording is incomplete (power lost while recording?); only the readable part was read</translation>
    </message>
    <message>
        <source>录像缺少索引，无法读取时长和画面（原始文件已保存）</source>
        <translation>Recording has no index: duration and pictures cannot be read (the original file is kept)</translation>
    </message>
</context>
<context>
    <name>messages</name>
    <message>
        <source>发生内部错误，详情已记录到日志：{0}</source>
        <translation>An internal error occurred; the details are in the log: {0}</translation>
    </message>
</context>
<context>
    <name>pins</name>
    <message>
        <source>PIN 应为 {0}–{1} 位数字。</source>
        <translation>The PIN must be {0}–{1} digits.</translation>
    </message>
    <message>
        <source>两次输入的PIN不一致。</source>
        <translation>The two PINs differ.</translation>
    </message>
</context>
<context>
    <name>recording</name>
    <message>
        <source>录像</source>
        <translation>Video</translation>
    </message>
    <message>
        <source>录音</source>
        <translation>Audio</translation>
    </message>
    <message>
        <source>照片</source>
        <translation>Photo</translation>
    </message>
    <message>
        <source>录像（视听资料）</source>
        <translation>Video (audio-visual material)</translation>
    </message>
    <message>
        <source>录音（视听资料）</source>
        <translation>Audio (audio-visual material)</translation>
    </message>
    <message>
        <source>无（固定位置）</source>
        <translation>None (one position)</translation>
    </message>
    <message>
        <source>{n} 个定位点，约 {m} 米</source>
        <translation>{n} fixes, about {m} m</translation>
    </message>
    <message>
        <source>录像移动轨迹</source>
        <translation>Path of the recording</translation>
    </message>
</context>
<context>
    <name>tasks</name>
    <message>
        <source>保存失败</source>
        <translation>Could not save</translation>
    </message>
</context>
</TS>